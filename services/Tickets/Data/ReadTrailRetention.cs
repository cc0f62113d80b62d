using Portal.Messaging;

namespace Portal.Tickets.Data;

/// <summary>Removes the read trail's lines past their retention period, once an hour.</summary>
public sealed partial class ReadTrailRetention(ReadTrail trail, ILogger<ReadTrailRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(Interval, "read trail retention", trail.PruneAsync, LogFailed, stoppingToken);

    [LoggerMessage(LogLevel.Warning, "Pruning the read trail failed; the next pass tries again")]
    private partial void LogFailed(Exception ex);
}
