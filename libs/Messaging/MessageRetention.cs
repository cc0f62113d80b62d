using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Messaging;

/// <summary>How long published outbox rows and inbox records are kept (section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A published event is kept this long, for operators looking back at what went out.</summary>
    public TimeSpan PublishedEvents { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A handled message's id is kept this long: a redelivery (a broker restart, a relay that crashed
    /// before marking its batch) comes within minutes; a replayed dead letter was never handled.
    /// </summary>
    public TimeSpan HandledMessages { get; set; } = TimeSpan.FromDays(30);

    public int BatchSize { get; set; } = 5000;
}

/// <summary>
/// Deletes, every <see cref="RetentionOptions.Interval"/>, published outbox rows and inbox records past their
/// retention, in small batches.
/// </summary>
public sealed partial class MessageRetention(
    NpgsqlDataSource dataSource,
    IOptions<RetentionOptions> options,
    ILogger<MessageRetention> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(options.Value.Interval, "message retention", PruneAsync, LogPruneFailed, stoppingToken);

    /// <summary>One pass; the rows deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var limits = options.Value;
        var deleted = 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var (sql, age) in new[]
        {
            ("delete from outbox_messages where sequence in "
                + "(select sequence from outbox_messages where published_at < now() - @age limit @batch)",
                limits.PublishedEvents),
            ("delete from inbox_messages where (message_id, consumer) in (select message_id, consumer "
                + "from inbox_messages where handled_at < now() - @age limit @batch)",
                limits.HandledMessages),
        })
        {
            int batch;
            do
            {
                batch = await connection.ExecuteAsync(
                    new CommandDefinition(sql, new { age, batch = limits.BatchSize }, cancellationToken: ct));
                deleted += batch;
            }
            while (batch == limits.BatchSize);
        }
        return deleted;
    }

    [LoggerMessage(LogLevel.Warning,
        "Pruning published events and handled messages failed; trying again at the next interval")]
    private partial void LogPruneFailed(Exception exception);
}
