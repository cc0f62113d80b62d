namespace Portal.Access.Apis;

public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        app.MapDirectoryApi();
        app.MapAccessListsApi();
        return app;
    }
}
