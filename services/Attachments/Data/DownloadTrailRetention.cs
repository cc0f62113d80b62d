using Portal.Messaging;

namespace Portal.Attachments.Data;

/// <summary>Removes downloads past their retention period from the trail, once an hour.</summary>
public sealed partial class DownloadTrailRetention(DownloadTrail trail, ILogger<DownloadTrailRetention> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(Interval, "download trail retention", trail.PruneAsync, LogFailed, stoppingToken);

    [LoggerMessage(LogLevel.Warning, "Pruning the download trail failed; the next pass tries again")]
    private partial void LogFailed(Exception ex);
}
