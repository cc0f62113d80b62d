using System.Text.Json.Serialization.Metadata;
using Portal.Database;
using Portal.Messaging;
using Portal.Tickets.Apis;
using Portal.AccessProjection;
using Microsoft.Extensions.Options;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("tickets-db", typeof(TicketAccess).Assembly, typeof(Extensions).Assembly);
        builder.AddPortalMessaging("tickets", x => x.AddConsumer<TicketAccessChangedConsumer>());

        builder.Services.AddSingleton<TimeProvider>(builder.Configuration["Tickets:ClockFile"] is { } clockFile
            ? new ShiftedClock(clockFile)
            : TimeProvider.System);
        builder.Services.AddOptions<TicketOptions>().BindConfiguration("Tickets");
        builder.Services.AddOptions<TeamOptions>().BindConfiguration("Tickets");
        builder.Services.AddSingleton(sp => new Teams(sp.GetRequiredService<IOptions<TeamOptions>>().Value.Teams));
        builder.Services.AddOptions<ServiceLevelOptions>().BindConfiguration("Tickets:ServiceLevels");
        builder.Services.AddOptions<ReadTrailOptions>().BindConfiguration("ReadTrail");
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolver =
            json.SerializerOptions.TypeInfoResolver!.WithAddedModifier(StaffOnlyAttribute.Apply));
        builder.Services.AddSingleton<TicketStore>();
        builder.Services.AddSingleton<TicketList>();
        builder.Services.AddSingleton<UnreadCounts>();
        builder.Services.AddHousekeeping<UnreadCounts>(
            "unread counts compaction", TimeSpan.FromSeconds(1), (counts, ct) => counts.CompactAsync(ct));
        builder.Services.AddSingleton<ReadTrail>();
        builder.Services.AddHousekeeping<ReadTrail>(
            "read trail retention", TimeSpan.FromHours(1), (trail, ct) => trail.PruneAsync(ct));
        builder.Services.AddSingleton<ReplyTemplateStore>();
        builder.Services.AddSingleton<ServiceStats>();
        if (builder.Environment.IsDevelopment())
            builder.Services.AddHostedService<DemoTemplates>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddHttpClient<AccessClient>(http => http.BaseAddress = new Uri("http://access"))
            .AddCallerToken();
        builder.Services.AddHttpClient<AccessRegistry>(http => http.BaseAddress = new Uri("http://access"))
            .AddServiceToken("access");
        builder.Services.AddHttpClient<AttachmentsClient>(http => http.BaseAddress = new Uri("http://attachments"))
            .AddServiceToken("attachments");
    }
}
