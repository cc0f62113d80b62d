using System.Diagnostics;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Portal.Attachments.Data;

namespace Portal.Attachments.Storage;

/// <summary>
/// Deletes files that no message named within their lifetime: the record first, so none points to a missing blob.
/// </summary>
public sealed partial class OrphanSweeper(
    AttachmentStore store,
    BlobContainerClient container,
    IOptions<AttachmentOptions> options,
    ILogger<OrphanSweeper> logger) : BackgroundService
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

    private const int BatchSize = 500;

    private static readonly ActivitySource Source = new(typeof(OrphanSweeper).Assembly.GetName().Name!);

    /// <summary>
    /// Sweeps until no orphan is left, a batch at a time: the records in one statement, then their
    /// blobs several at once (bench/Attachments.Bench -- sweep measures how fast).
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var deleted = 0;
        IReadOnlyList<Guid> batch;
        do
        {
            // Only a sweep that finds something is recorded.
            using (Unrecorded.Begin("orphan poll"))
                batch = await store.DeleteOrphansAsync(options.Value.OrphanLifetime, BatchSize, ct);
            if (batch.Count == 0)
                break;
            using var activity = Source.StartActivity("orphan sweep");
            activity?.SetTag("portal.attachments.orphans", batch.Count);
            await Parallel.ForEachAsync(batch,
                new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (id, token) =>
                    await container.GetBlobClient(id.ToString("N")).DeleteIfExistsAsync(cancellationToken: token));
            deleted += batch.Count;
        }
        while (batch.Count == BatchSize && !ct.IsCancellationRequested);
        return deleted;
    }

    [LoggerMessage(LogLevel.Warning, "Orphan sweep failed")]
    private partial void LogSweepFailed(Exception exception);
}
