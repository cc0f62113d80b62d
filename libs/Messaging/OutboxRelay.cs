using System.Diagnostics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Database;

namespace Portal.Messaging;

/// <summary>
/// Publishes stored events, in batches, and marks them published. Rows are taken with
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
        // This process's writers wake the relay once their events are committed (Outbox.Stored); a NOTIFY wakes it
        // for events stored elsewhere, and it looks again whenever its listener connects. A slow poll is the
        // backstop, for events another process stored and left (it stopped before its relay ran).
        Action wake = () => _wake.Release();
        Outbox.Stored += wake;
        stoppingToken.Register(() => Outbox.Stored -= wake);
        using (Unrecorded.Begin("outbox listener"))
        {
            _ = dataSource.ListenAsync([Outbox.Channel],
                notified: _ => _wake.Release(),
                listening: () => _wake.Release(),
                failed: LogListenFailed,
                options.Value.ListenRetryDelay,
                stoppingToken);
        }
        var delay = options.Value.RetryDelayMin;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // One pass publishes every event stored so far: the wakes of those events are spent with it, instead
                // of each waking a pass that finds nothing left.
                while (_wake.Wait(0))
                {
                }
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

    /// <summary>
    /// The relay's own spans: one per event published, in the trace of the transaction that stored it.
    /// </summary>
    public static readonly ActivitySource Source = new("Portal.Messaging");

    /// <summary>
    /// Publishes up to one batch of unpublished rows; returns how many went out. Reading and marking
    /// the rows records nothing (<see cref="Unrecorded"/>: a poll that finds nothing leaves no trace);
    /// each publish is recorded as a child of the trace context stored with its row, so MassTransit
    /// carries that trace on (an event stored outside any trace stays unrecorded).
    /// </summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        var quiet = Unrecorded.Begin("outbox poll");
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = await ReadBatchAsync(connection, transaction, cancellationToken);
            if (rows.Count == 0)
                return 0;

            quiet.Dispose();
            List<Task> publishes;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Value.PublishTimeout);
                // Published side by side and confirmed together: waiting for each confirm before the next publish
                // made the relay the system's bottleneck under load. Nothing relies on the order of events: relays
                // of several instances, and concurrent consumers, already take them side by side.
                publishes = rows.Select(row => PublishAsync(row, timeout.Token)).ToList();
                await Task.WhenAll(publishes).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            quiet = Unrecorded.Begin("outbox poll");

            // What the broker confirmed is marked even when the rest failed: publishing it again on the next pass
            // would deliver it twice.
            var confirmed = rows.Where((_, i) => publishes[i].IsCompletedSuccessfully).Select(r => r.Sequence);
            await connection.ExecuteAsync(new CommandDefinition(
                "update outbox_messages set published_at = now() where sequence = any(@sequences)",
                new { sequences = confirmed.ToArray() }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            if (publishes.FirstOrDefault(p => !p.IsCompletedSuccessfully) is { } failed)
                await failed;
            return rows.Count;
        }
        finally
        {
            quiet.Dispose();
        }
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken ct)
    {
        var type = Type.GetType(row.Type, throwOnError: true)!;
        var message = JsonSerializer.Deserialize(row.Body, type, MessageJson.Options)!;
        using var activity = Source.StartInStory(
            $"outbox {type.Name}", ActivityKind.Internal, row.TraceParent, row.TraceState);
        activity?.SetTag("messaging.message.id", row.Id.ToString());
        await bus.Publish(message, type, context =>
        {
            context.MessageId = row.Id;
            foreach (var (name, value) in RoutingHeaders.Of(message))
                context.Headers.Set(name, value);
        }, ct);
    }

    private sealed record OutboxRow(
        long Sequence,
        Guid Id,
        string Type,
        string Body,
        string? TraceParent,
        string? TraceState);

    private async Task<List<OutboxRow>> ReadBatchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct) =>
        (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            """
            select sequence, id, message_type as Type, body::text as Body, trace_parent as TraceParent,
                trace_state as TraceState
            from outbox_messages
            where published_at is null order by sequence limit @BatchSize
            for update skip locked
            """, new { options.Value.BatchSize }, transaction, cancellationToken: ct))).AsList();

    [LoggerMessage(LogLevel.Warning, "Outbox relay could not publish; retrying in {Delay}")]
    private partial void LogRelayFailed(Exception exception, TimeSpan delay);

    [LoggerMessage(LogLevel.Debug, "Outbox listener lost its connection")]
    private partial void LogListenFailed(Exception exception);
}
