namespace Portal.Access.Apis;

public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
