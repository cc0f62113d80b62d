using Microsoft.Extensions.Logging;
using Portal.Messaging;

namespace Portal.Tickets.Data;

/// <summary>Folds the unread counts' changes once a second.</summary>
public sealed partial class UnreadCountsCompaction(UnreadCounts counts, ILogger<UnreadCountsCompaction> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(Interval, "unread counts compaction", counts.CompactAsync, LogFailed, stoppingToken);

    [LoggerMessage(LogLevel.Warning, "Folding the unread counts' changes failed; the next pass tries again")]
    private partial void LogFailed(Exception ex);
}
