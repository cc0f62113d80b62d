using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Portal.Attachments.Data;

namespace Portal.Attachments.Storage;

/// <summary>Deletes files that no message named within their lifetime: the record first, so none points to a missing blob.</summary>
public sealed partial class OrphanSweeper(
    AttachmentStore store, BlobContainerClient container, IOptions<AttachmentOptions> options, ILogger<OrphanSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OrphanSweepInterval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(ex);
            }
        }
        // Cancelled on shutdown, which ends the service as it should.
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var deleted = 0;
        foreach (var id in await store.OrphansAsync(options.Value.OrphanLifetime, 500))
        {
            if (!await store.DeleteOrphanAsync(id))
                continue;
            await container.GetBlobClient(id.ToString("N")).DeleteIfExistsAsync(cancellationToken: ct);
            deleted++;
        }
        return deleted;
    }

    [LoggerMessage(LogLevel.Warning, "Orphan sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
