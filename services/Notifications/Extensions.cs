using MassTransit;
using Portal.Database;
using Portal.AccessProjection;
using Portal.Messaging;
using Portal.Notifications.Consumers;
using Portal.Notifications.Data;
using Portal.Notifications.Email;
using Portal.Notifications.Live;
using Portal.Notifications.Model;

namespace Portal.Notifications;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("notifications-db", typeof(TicketAccess).Assembly, typeof(Extensions).Assembly);
        builder.AddPortalMessaging("notifications", x =>
        {
            x.AddConsumer<DirectoryUserChangedConsumer>();
            x.AddConsumer<TicketAccessChangedConsumer>();
            x.AddConsumer<TicketOpenedConsumer>();
            x.AddConsumer<MessagePostedConsumer>(c => c.Options<BatchOptions>(MessagePostedConsumer.Batching));
            x.AddConsumer<TicketClosedConsumer>();
            x.AddConsumer<TicketAssignedConsumer>();
            x.AddConsumer<TicketReadConsumer>();
        });

        builder.Services.AddOptions<NotificationOptions>().BindConfiguration("Notifications");
        builder.Services.AddOptions<EmailOptions>().BindConfiguration("Notifications:Email");
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationSignals>();
        builder.Services.AddSingleton<LiveStreamRegistry>();
        builder.Services.AddSingleton<PreferenceStore>();
        builder.Services.AddHostedService<SignalListener>();
        builder.Services.AddHostedService<EmailSender>();
        builder.Services.AddDatabaseGauge(EmailDeliveryStore.Waiting);
        builder.Services.AddSingleton<BadgeCounts>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BadgeCounts>());
        builder.Services.AddHttpClient(BadgeCounts.HttpClientName, http => http.BaseAddress = new Uri("http://tickets"))
            .AddServiceToken("tickets");
    }
}
