namespace Portal.Tickets.Apis;

public static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
