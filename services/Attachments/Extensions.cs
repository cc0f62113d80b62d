using Portal.Messaging;

namespace Portal.Attachments;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("attachments-db", typeof(Extensions).Assembly);
        builder.AddPortalMessaging("attachments");
    }
}
