using Portal.Messaging;

namespace Portal.Access;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("access-db", typeof(Extensions).Assembly);
        builder.AddPortalMessaging("access");
    }
}
