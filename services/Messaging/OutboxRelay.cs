using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Messaging;

/// <summary>
/// Publishes stored events in order and marks them published. Rows are taken with
/// <c>FOR UPDATE SKIP LOCKED</c>, so instances side by side never publish the same row, and the
/// MessageId is the row id, so a consumer's inbox recognises a re-publish after a crash.
/// A broker outage leaves the rows in place; they go out once the broker is back.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = ListenAsync(stoppingToken);
        var delay = options.Value.RetryDelayMin;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int published;
                do
                {
                    published = await PublishBatchAsync(stoppingToken);
                }
                while (published == options.Value.BatchSize);
                delay = options.Value.RetryDelayMin;
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayFailed(ex, delay);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.RetryDelayMax.Ticks));
            }
        }
    }

    /// <summary>Publishes up to one batch of unpublished rows; returns how many went out.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = new List<(long Sequence, Guid Id, string Type, string Body)>();
        await using (var select = new NpgsqlCommand(
            """
            select sequence, id, message_type, body::text from outbox_messages
            where published_at is null order by sequence limit $1
            for update skip locked
            """, connection, transaction))
        {
            select.Parameters.Add(new() { Value = options.Value.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        }
        if (rows.Count == 0)
            return 0;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        foreach (var row in rows)
        {
            var type = Type.GetType(row.Type, throwOnError: true)!;
            var message = JsonSerializer.Deserialize(row.Body, type, MessageJson.Options)!;
            await bus.Publish(message, type, context => context.MessageId = row.Id, timeout.Token);
        }

        await using (var update = new NpgsqlCommand(
            "update outbox_messages set published_at = now() where sequence = any($1)", connection, transaction))
        {
            update.Parameters.Add(new() { Value = rows.Select(r => r.Sequence).ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    // NOTIFY is delivered only when the writing transaction commits: the relay wakes at once for
    // committed events, and polling covers a lost listening connection.
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => _wake.Release();
                await using (var listen = new NpgsqlCommand($"listen {Outbox.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex);
                await Task.Delay(options.Value.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Outbox relay could not publish; retrying in {Delay}")]
    private partial void LogRelayFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(LogLevel.Debug, "Outbox listener lost its connection")]
    private partial void LogListenFailed(Exception exception);
}
