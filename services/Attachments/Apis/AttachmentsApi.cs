namespace Portal.Attachments.Apis;

public static class AttachmentsApi
{
    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
