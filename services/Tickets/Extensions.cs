using Portal.Messaging;

namespace Portal.Tickets;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("tickets-db", typeof(Extensions).Assembly);
        builder.AddPortalMessaging("tickets");
    }
}
