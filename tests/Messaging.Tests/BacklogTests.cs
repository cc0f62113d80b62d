using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging.Monitoring;
using Portal.Testing;
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
        await StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:SampleInterval"] = "00:00:00.2",
            ["Outbox:RetryDelayMax"] = "00:00:01",
        });
        await WaitForAsync(HealthStatus.Healthy);
        using var age = Collector<double>(OutboxGauges.OldestAge);
        using var backlog = Collector<double>(OutboxGauges.Backlog);

        // An event two minutes old that the relay cannot publish: its stored type names no known assembly (as after
        // a bad deployment). The relay fails on it and tries again, whenever it wakes, until the row is mended.
        var ticketId = Guid.NewGuid();
        var eventId = await InsertAsync(ticketId, "now() - interval '2 minutes'", "Portal.Contracts.Missing");
        await ExecuteAsync("select pg_notify('portal_outbox', '')");

        var degraded = await WaitForAsync(HealthStatus.Degraded);
        Assert.Contains("oldest unpublished event", degraded.Description);
        Assert.True((double)degraded.Data["outboxOldestAgeSeconds"] >= 120);
        age.RecordObservableInstruments();
        backlog.RecordObservableInstruments();
        Assert.True(age.LastMeasurement!.Value >= 120);
        Assert.True(backlog.LastMeasurement!.Value >= 1);
        Assert.Equal(0, Deliveries.CountFor(ticketId));

        await ExecuteAsync(
            "update outbox_messages set message_type = 'Portal.Contracts.TicketReopened, Portal.Contracts' "
                + "where id = $1", eventId);
        await ExecuteAsync("select pg_notify('portal_outbox', '')");
        await Eventually.TrueAsync(() => Deliveries.CountFor(ticketId) == 1);
        await WaitForAsync(HealthStatus.Healthy);
        age.RecordObservableInstruments();
        Assert.Equal(0, age.LastMeasurement!.Value);
    }

    [Fact]
    public async Task The_figures_of_one_sample_come_from_one_moment()
    {
        // The sample reads "before", waits for a lock the test holds, then reads "after"; the test adds a row while
        // it waits. Read at two moments, the figures would differ by that row, as the backlog and the oldest age
        // once did (a health check degraded by a 2-minute-old event while the backlog said 0).
        const int SampleLock = 4242;
        await using var test = new NpgsqlConnection(Servers.Postgres.ConnectionString("probe"));
        await test.OpenAsync();
        await test.ExecuteAsync($"select pg_advisory_lock({SampleLock})");
        const string Rows = "select count(*)::float8 from outbox_messages";
        await StartAsync(
            new Dictionary<string, string?> { ["Monitoring:SampleInterval"] = "01:00:00" },
            configure: builder =>
            {
                builder.Services.AddDatabaseGauge(new("probe.before", "{row}", "Rows, first read.", Rows));
                builder.Services.AddDatabaseGauge(new("probe.wait", "1", "Waits for the test.",
                    $"select count(*)::float8 from (select pg_advisory_xact_lock_shared({SampleLock})) l"));
                builder.Services.AddDatabaseGauge(new("probe.after", "{row}", "Rows, read again.", Rows));
            });
        await Eventually.TrueAsync(async () => await test.ExecuteScalarAsync<long>(
            $"select count(*) from pg_locks where locktype = 'advisory' and objid = {SampleLock} "
                + "and not granted") == 1);

        await test.ExecuteAsync(
            "insert into outbox_messages (id, message_type, body, created_at, published_at) "
                + "values (@id, 'Portal.Contracts.TicketReopened, Portal.Contracts', '{}', now(), now())",
            new { id = Guid.CreateVersion7() });
        await test.ExecuteAsync($"select pg_advisory_unlock({SampleLock})");

        var sampler = Host.Services.GetRequiredService<BacklogSampler>();
        await Eventually.TrueAsync(() => sampler.Latest is not null);
        var figures = sampler.Latest!.Figures;
        Assert.Equal(figures["probe.before"], figures["probe.after"]);
        Assert.Equal(figures["probe.before"] + 1, await test.ExecuteScalarAsync<double>(Rows));
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

    // A TicketReopened event in the outbox, stored without NOTIFY, at the time given in SQL, under the assembly
    // name given; its id.
    private async Task<Guid> InsertAsync(Guid ticketId, string createdAt, string assembly)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsync(
            $"""
            insert into outbox_messages (id, message_type, body, created_at)
            values ($1, $3, $2::jsonb, {createdAt})
            """,
            id,
            JsonSerializer.Serialize(
                new TicketReopened(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
                    new Actor(Guid.NewGuid(), Sides.Staff)),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            $"Portal.Contracts.TicketReopened, {assembly}");
        return id;
    }

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
