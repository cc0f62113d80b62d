using Portal.Messaging;

namespace Portal.Notifications;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("notifications-db", typeof(Extensions).Assembly);
        builder.AddPortalMessaging("notifications");
    }
}
