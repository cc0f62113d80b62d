using Portal.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Dapper;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Portal.Contracts;
using Portal.ServiceDefaults;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// One trace per story: an event goes out, and is consumed, in the trace of the transaction that
/// stored it; a relay with nothing to do records nothing. Real PostgreSQL and RabbitMQ, the
/// service's own OpenTelemetry set-up, spans kept in memory.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class TraceTests(BrokerFixture servers) : IAsyncLifetime
{
    private static readonly ActivitySource Requests = new("Portal.Tests.Requests");
    private readonly Deliveries _deliveries = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private IHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ProbeHost.StartAsync(servers, _deliveries,
            // As the AppHost sets it for every service.
            new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = "always_on" },
            builder =>
            {
                builder.ConfigureOpenTelemetry();
                builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                    .AddSource(Requests.Name)
                    .AddProcessor(new Recorder(_spans)));
            });

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task An_event_is_published_and_consumed_in_the_trace_of_the_transaction_that_stored_it()
    {
        var ticketId = Guid.NewGuid();
        ActivityTraceId story;
        using (var request = Requests.StartActivity("POST /api/tickets/{id}/reopen", ActivityKind.Server))
        {
            story = request!.TraceId;
            await using var connection =
                await _host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await Outbox.EnqueueAsync(transaction, new TicketReopened(
                Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
                new Actor(Guid.NewGuid(), Sides.Staff)));
            await transaction.CommitAsync();
        }

        // Spans are recorded as they end, a parent after its children: wait until the consumer's own
        // statement (its inbox insert) and every span above it up to the relay's have ended.
        await Eventually.TrueAsync(() => _spans.Any(s => s.TraceId == story && s.Source.Name == "Npgsql"
            && Ancestors(s).Any(a => a.Kind == ActivityKind.Consumer)
            && Ancestors(s).Any(a => a.Source.Name == OutboxRelay.Source.Name)));

        var spans = _spans.Where(s => s.TraceId == story).ToList();
        var relay = Assert.Single(spans, s => s.Source.Name == OutboxRelay.Source.Name);
        Assert.Equal("outbox TicketReopened", relay.DisplayName);
        var send = Assert.Single(spans, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        Assert.Equal(relay.SpanId, send.ParentSpanId);
        // MassTransit's receive and consume spans, both under the send.
        var received = spans.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer).ToList();
        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.Contains(Ancestors(r), a => a.SpanId == send.SpanId));
        Assert.Equal(1, _deliveries.CountFor(ticketId));
    }

    [Fact]
    public async Task A_relay_with_nothing_to_publish_records_nothing()
    {
        var relay = _host.Services.GetRequiredService<OutboxRelay>();
        while (await relay.PublishBatchAsync(CancellationToken.None) > 0)
        {
        }
        _spans.Clear();

        for (var i = 0; i < 5; i++)
            Assert.Equal(0, await relay.PublishBatchAsync(CancellationToken.None));
        Assert.Empty(_spans);
    }

    [Fact]
    public async Task A_listener_that_connects_again_records_nothing()
    {
        // The test's own statements are unrecorded too: whatever is recorded is the listener's.
        using var quiet = Unrecorded.Begin("test");
        const string Listeners = "select count(*) from pg_stat_activity where query = 'listen portal_outbox' "
            + "and state = 'idle' and backend_start > @since";
        await using var connection =
            await _host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await Eventually.TrueAsync(async () =>
            await connection.ExecuteScalarAsync<long>(Listeners, new { since = DateTime.UnixEpoch }) == 1);
        var since = await connection.ExecuteScalarAsync<DateTime>("select now()");
        _spans.Clear();

        await connection.ExecuteAsync(
            "select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen portal_outbox'");

        await Eventually.TrueAsync(async () =>
            await connection.ExecuteScalarAsync<long>(Listeners, new { since }) == 1);
        Assert.Empty(_spans);
    }

    private IEnumerable<Activity> Ancestors(Activity span)
    {
        for (var parent = _spans.FirstOrDefault(s => s.SpanId == span.ParentSpanId); parent is not null;
             parent = _spans.FirstOrDefault(s => s.SpanId == parent.ParentSpanId))
            yield return parent;
    }

    /// <summary>Keeps every span that ends, safe to read while spans keep ending.</summary>
    private sealed class Recorder(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}
