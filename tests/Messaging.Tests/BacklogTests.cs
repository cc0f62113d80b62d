using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging.Monitoring;
using Portal.Testing;
using System.Diagnostics.Metrics;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// The backlog's gauges and the health check that turns degraded while events pile up, against the real servers.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BacklogTests(BrokerFixture servers) : ProbeTest(servers)
{
    [Fact]
    public async Task An_old_unpublished_event_makes_the_service_degraded_until_the_relay_publishes_it()
    {
        // The relay looks only when told (NOTIFY) or hourly: a row written without NOTIFY stays unpublished.
        await StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:SampleInterval"] = "00:00:00.2",
            ["Outbox:PollInterval"] = "01:00:00",
        });
        await WaitForAsync(HealthStatus.Healthy);
        using var age = Collector<double>(OutboxGauges.OldestAge);
        using var backlog = Collector<double>(OutboxGauges.Backlog);

        // Told once the relay listens (on a busy machine its listener may still be connecting); a witness, told and
        // published, shows that the relay's first pass is behind it (on a busy machine it may begin late), so that
        // nothing but a NOTIFY makes it look again.
        await Eventually.TrueAsync(async () => await CountAsync(
            "select count(*) from pg_stat_activity where datname = current_database() "
                + "and query = 'listen portal_outbox'") > 0);
        var witness = Guid.NewGuid();
        await InsertAsync(witness, "now()");
        await ExecuteAsync("select pg_notify('portal_outbox', '')");
        // Its first publish may wait for the bus to connect, on a busy machine for long (the relay backs off).
        await Eventually.TrueAsync(() => Task.FromResult(Deliveries.CountFor(witness) == 1),
            within: TimeSpan.FromSeconds(90),
            state: async () => $"{await CountAsync("select count(*) from outbox_messages where published_at is null")}"
                + " outbox rows unpublished");

        var ticketId = Guid.NewGuid();
        await InsertAsync(ticketId, "now() - interval '2 minutes'");

        var degraded = await WaitForAsync(HealthStatus.Degraded);
        Assert.Contains("oldest unpublished event", degraded.Description);
        Assert.True((double)degraded.Data["outboxOldestAgeSeconds"] >= 120);
        age.RecordObservableInstruments();
        backlog.RecordObservableInstruments();
        Assert.True(age.LastMeasurement!.Value >= 120);
        Assert.True(backlog.LastMeasurement!.Value >= 1);

        await ExecuteAsync("select pg_notify('portal_outbox', '')");
        await Eventually.TrueAsync(() => Deliveries.CountFor(ticketId) == 1);
        await WaitForAsync(HealthStatus.Healthy);
        age.RecordObservableInstruments();
        Assert.Equal(0, age.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Messages_piling_up_in_a_consumer_queue_make_the_service_degraded_until_they_are_consumed()
    {
        var open = new TaskCompletionSource();
        Deliveries.Open = open.Task;
        await StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:SampleInterval"] = "00:00:00.2",
            ["Monitoring:QueueMaxDepth"] = "5",
        });
        var queue = Host.Services.GetRequiredService<QueueNames>().Consumers
            .Single(q => q.StartsWith("probe-", StringComparison.Ordinal));
        using var depth = Collector<long>(BacklogSampler.QueueDepthGauge);
        var bus = Host.Services.GetRequiredService<IBus>();
        var tickets = Enumerable.Range(0, 80).Select(_ => Guid.NewGuid()).ToList();
        foreach (var ticketId in tickets)
            await bus.Publish(new TicketReopened(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
                new Actor(Guid.NewGuid(), Sides.Staff)));

        // The consumers hold what they prefetched; the rest waits in the queue.
        var degraded = await WaitForAsync(HealthStatus.Degraded);
        Assert.Contains(queue, degraded.Description);
        Assert.True((long)degraded.Data["queue:" + queue] > 5);
        Assert.IsType<long>(degraded.Data["deadLetters"]);
        depth.RecordObservableInstruments();
        Assert.Contains(depth.GetMeasurementSnapshot(),
            m => m.Tags["messaging.destination.name"] as string == queue && m.Value > 5);
        Assert.Contains(depth.GetMeasurementSnapshot(), m => m.Tags["portal.queue.kind"] as string == "dead_letter");

        open.SetResult();
        await Eventually.TrueAsync(() => tickets.All(t => Deliveries.CountFor(t) == 1));
        await WaitForAsync(HealthStatus.Healthy);
    }

    // A TicketReopened event in the outbox, stored without NOTIFY, at the time given in SQL.
    private Task InsertAsync(Guid ticketId, string createdAt) =>
        ExecuteAsync(
            $"""
            insert into outbox_messages (id, message_type, body, created_at)
            values ($1, 'Portal.Contracts.TicketReopened, Portal.Contracts', $2::jsonb, {createdAt})
            """,
            Guid.CreateVersion7(),
            JsonSerializer.Serialize(
                new TicketReopened(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
                    new Actor(Guid.NewGuid(), Sides.Staff)),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    private MetricCollector<T> Collector<T>(string instrument) where T : struct =>
        new(Host.Services.GetRequiredService<IMeterFactory>(), "Portal.Messaging", instrument);

    /// <summary>The backlog check's result, once it reports <paramref name="status"/> (sampled every 200 ms).</summary>
    private async Task<HealthReportEntry> WaitForAsync(HealthStatus status)
    {
        var health = Host.Services.GetRequiredService<HealthCheckService>();
        HealthReportEntry? entry = null;
        await Eventually.TrueAsync(async () =>
        {
            entry = (await health.CheckHealthAsync(r => r.Name == "backlog")).Entries["backlog"];
            return entry.Value.Status == status;
        });
        return entry!.Value;
    }
}
