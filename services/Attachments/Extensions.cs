using Portal.Database;
using Azure.Storage.Blobs;
using MassTransit;
using Microsoft.Extensions.Options;
using Portal.AccessProjection;
using Portal.Attachments.Consumers;
using Portal.Attachments.Data;
using Portal.Attachments.Model;
using Portal.Attachments.Storage;
using Portal.Messaging;

namespace Portal.Attachments;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase("attachments-db", typeof(TicketAccess).Assembly, typeof(Extensions).Assembly);
        builder.AddPortalMessaging("attachments", x =>
        {
            x.AddConsumer<MessagePostedConsumer, MessagePostedConsumerDefinition>();
            x.AddConsumer<TicketAccessChangedConsumer>();
        });

        builder.Services.AddOptions<AttachmentOptions>().BindConfiguration("Attachments");
        var blobs = builder.Configuration.GetConnectionString("blobs")
            ?? throw new InvalidOperationException("Connection string 'blobs' is missing.");
        builder.Services.AddSingleton(sp => new BlobServiceClient(blobs)
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<AttachmentOptions>>().Value.Container));
        builder.Services.AddHealthChecks().AddCheck<BlobStorageHealthCheck>("blobs");

        builder.Services.AddSingleton<AttachmentStore>();
        builder.Services.AddSingleton<UploadQuota>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ReadTrailOptions>().BindConfiguration("ReadTrail");
        builder.Services.AddSingleton<DownloadTrail>();
        builder.Services.AddHousekeeping<DownloadTrail>(
            "download trail retention", TimeSpan.FromHours(1), (trail, ct) => trail.PruneAsync(ct));
        // An antivirus joins the content check when clamd's address is configured (Attachments:Clamd:Host).
        builder.Services.AddOptions<ClamdOptions>().BindConfiguration("Attachments:Clamd");
        if (string.IsNullOrEmpty(builder.Configuration["Attachments:Clamd:Host"]))
            builder.Services.AddSingleton<IFileScanner, ContentCheckScanner>();
        else
            builder.Services.AddSingleton<IFileScanner, ClamdScanner>();
        builder.Services.AddHostedService<OrphanSweeper>();
    }
}
