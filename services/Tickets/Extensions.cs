using Portal.Database;
using Portal.Messaging;
using Portal.Tickets.Apis;
using Portal.AccessProjection;
using Portal.Tickets.Data;

namespace Portal.Tickets;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("tickets-db", typeof(TicketAccess).Assembly, typeof(Extensions).Assembly);
        builder.AddPortalMessaging("tickets", x => x.AddConsumer<TicketAccessChangedConsumer>());

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<TicketOptions>().BindConfiguration("Tickets");
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<TicketList>();
        builder.Services.AddSingleton<UnreadCounts>();
        builder.Services.AddHostedService<UnreadCountsCompaction>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient<AccessClient>(http => http.BaseAddress = new Uri("http://access"))
            .AddCallerToken();
        builder.Services.AddHttpClient<AccessRegistry>(http => http.BaseAddress = new Uri("http://access"))
            .AddServiceToken("access");
        builder.Services.AddHttpClient<AttachmentsClient>(http => http.BaseAddress = new Uri("http://attachments"))
            .AddServiceToken("attachments");
    }
}
