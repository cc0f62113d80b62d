using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Contracts;
using Portal.Testing;
using Xunit;

namespace Portal.Messaging.Tests;

[Collection(BrokerCollection.Name)]
public sealed class OutboxTests(BrokerFixture servers) : IAsyncLifetime
{
    private readonly Deliveries _deliveries = new();
    private readonly List<IHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    [Fact]
    public async Task A_rolled_back_change_publishes_nothing()
    {
        var host = await StartServiceAsync();
        var ticketId = Guid.NewGuid();

        await using (var connection = await DataSource(host).OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ChangeAndEnqueueAsync(transaction, ticketId);
            await transaction.RollbackAsync();
        }

        await WitnessAsync(host);
        Assert.Equal(0, _deliveries.CountFor(ticketId));
        Assert.Equal(0L, await ScalarAsync(
            host, "select count(*) from outbox_messages where body->>'ticketId' = $1", ticketId.ToString()));
    }

    [Fact]
    public async Task A_committed_change_publishes_its_event_exactly_once_with_the_stored_id()
    {
        var host = await StartServiceAsync();
        var ticketId = Guid.NewGuid();

        var eventId = await CommitEventAsync(host, ticketId);

        await Eventually.TrueAsync(() => _deliveries.CountFor(ticketId) == 1);
        await Eventually.TrueAsync(async () => await ScalarAsync(host,
            "select count(*) from outbox_messages where id = $1 and published_at is not null", eventId) == 1);
        Assert.Equal(eventId, _deliveries.All.Single(d => d.TicketId == ticketId).MessageId);
        await WitnessAsync(host);
        Assert.Equal(1, _deliveries.CountFor(ticketId));
    }

    [Fact]
    public async Task Events_stored_while_the_broker_is_down_go_out_once_it_is_back()
    {
        var host = await StartServiceAsync();
        await servers.RabbitMq.StopAsync();
        var tickets = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        try
        {
            foreach (var ticketId in tickets)
                await CommitEventAsync(host, ticketId);
            await Task.Delay(1000);
            Assert.Equal(5L, await ScalarAsync(host,
                "select count(*) from outbox_messages "
                    + "where published_at is null and (body->>'ticketId')::uuid = any($1)", tickets.ToArray()));
        }
        finally
        {
            await servers.RabbitMq.StartAgainAsync();
        }

        // Delivered at least once, handled exactly once: a publish the broker took just as its confirm timed out
        // goes out again, and the consumer's inbox recognises it.
        await Eventually.TrueAsync(() => tickets.All(t => _deliveries.FinishedFor(t) >= 1), TimeSpan.FromSeconds(60),
            () => "deliveries " + string.Join(", ", tickets.Select(_deliveries.CountFor)));
        await WitnessAsync(host);
        Assert.Equal(5L, await ScalarAsync(
            host, "select count(*) from handled_events where ticket_id = any($1)", tickets.ToArray()));
    }

    [Fact]
    public async Task An_event_the_relay_cannot_publish_holds_back_none_of_its_batch_and_none_goes_out_twice()
    {
        var host = await StartServiceAsync();
        // Its stored type names no known assembly, as after a bad deployment: every batch that takes it fails.
        var poisoned = Guid.NewGuid();
        await using (var insert = DataSource(host).CreateCommand(
            "insert into outbox_messages (id, message_type, body) values ($1, $2, $3::jsonb)"))
        {
            insert.Parameters.Add(new() { Value = poisoned });
            insert.Parameters.Add(new() { Value = "Portal.Contracts.TicketReopened, Portal.Contracts.Missing" });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(Reopened(Guid.NewGuid()), Json) });
            await insert.ExecuteNonQueryAsync();
        }
        var tickets = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var ticketId in tickets)
            await CommitEventAsync(host, ticketId);

        // Every pass takes the poisoned row with the others (it comes first), and fails: they went out all the same.
        await Eventually.TrueAsync(() => tickets.All(t => _deliveries.CountFor(t) >= 1));

        await using (var mend = DataSource(host).CreateCommand(
            "update outbox_messages set message_type = 'Portal.Contracts.TicketReopened, Portal.Contracts' "
                + "where id = $1"))
        {
            mend.Parameters.Add(new() { Value = poisoned });
            await mend.ExecuteNonQueryAsync();
        }
        await WitnessAsync(host);
        Assert.All(tickets, t => Assert.Equal(1, _deliveries.CountFor(t)));
    }

    [Fact]
    public async Task An_event_stored_while_the_listener_was_away_goes_out_when_it_listens_again()
    {
        // The backstop poll an hour away: only a NOTIFY or the listener's return can wake the relay.
        var host = await StartServiceAsync(new() { ["Outbox:PollInterval"] = "01:00:00" });
        const string Listener = "from pg_stat_activity where query = $1 and state = 'idle'";
        const string Listen = "listen portal_outbox";
        await Eventually.TrueAsync(async () => await ScalarAsync(host, $"select count(*) {Listener}", Listen) == 1);
        var ticketId = Guid.NewGuid();
        await using (var insert = DataSource(host).CreateCommand(
            "insert into outbox_messages (id, message_type, body) values ($1, $2, $3::jsonb)"))
        {
            // Stored without NOTIFY, as if committed while nobody listened.
            insert.Parameters.Add(new() { Value = Guid.NewGuid() });
            insert.Parameters.Add(new() { Value = "Portal.Contracts.TicketReopened, Portal.Contracts" });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(Reopened(ticketId), Json) });
            await insert.ExecuteNonQueryAsync();
        }

        await ScalarAsync(host, $"select count(pg_terminate_backend(pid)) {Listener}", Listen);

        await Eventually.TrueAsync(() => _deliveries.CountFor(ticketId) == 1);
    }

    [Fact]
    public async Task A_committed_event_wakes_the_relay_of_its_process_without_a_notify()
    {
        // The backstop poll an hour away and the listener already listening: the writer sends no NOTIFY, so only its
        // wake, once its connection has closed, can have the event published.
        var host = await StartServiceAsync(new() { ["Outbox:PollInterval"] = "01:00:00" });
        await Eventually.TrueAsync(async () => await ScalarAsync(host,
            "select count(*) from pg_stat_activity where query = $1 and state = 'idle'", "listen portal_outbox") == 1);

        // Two in a row: the pass the listener's connection starts may take the first, never the second.
        foreach (var ticketId in new[] { Guid.NewGuid(), Guid.NewGuid() })
        {
            await CommitEventAsync(host, ticketId);
            await Eventually.TrueAsync(() => _deliveries.CountFor(ticketId) == 1);
        }
    }

    [Fact]
    public async Task A_message_delivered_twice_is_handled_once()
    {
        var host = await StartServiceAsync();
        var ticketId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var bus = host.Services.GetRequiredService<IBus>();
        var message = Reopened(ticketId);

        await bus.Publish(message, context => context.MessageId = messageId);
        await bus.Publish(message, context => context.MessageId = messageId);

        await Eventually.TrueAsync(() => _deliveries.FinishedFor(ticketId) == 2);
        Assert.Equal(1L, await ScalarAsync(host, "select count(*) from handled_events where ticket_id = $1", ticketId));
    }

    [Fact]
    public async Task Two_instances_side_by_side_publish_each_row_once()
    {
        var first = await StartServiceAsync();
        var second = await StartServiceAsync();
        var tickets = Enumerable.Range(0, 300).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(tickets.Select((ticketId, i) => CommitEventAsync(i % 2 == 0 ? first : second, ticketId)));

        await Eventually.TrueAsync(() => tickets.All(t => _deliveries.CountFor(t) >= 1), TimeSpan.FromSeconds(60));
        await Task.WhenAll(WitnessAsync(first), WitnessAsync(second));
        Assert.All(tickets, t => Assert.Equal(1, _deliveries.CountFor(t)));
    }

    private async Task<IHost> StartServiceAsync(Dictionary<string, string?>? settings = null)
    {
        var host = await ProbeHost.StartAsync(servers, _deliveries,
            new Dictionary<string, string?>(settings ?? []) { ["Outbox:RetryDelayMax"] = "00:00:01" });
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// Once every stored event is published, commits one more and waits for its delivery: whatever was published
    /// before (a duplicate, a rolled-back event) was confirmed by the broker before the witness was even stored, so
    /// it was queued ahead of it and has been delivered by then. What "nothing more arrives" waits for, instead of a
    /// sleep.
    /// </summary>
    private async Task WitnessAsync(IHost host)
    {
        await Eventually.TrueAsync(async () =>
        {
            await using var unpublished = DataSource(host).CreateCommand(
                "select count(*) from outbox_messages where published_at is null");
            return (long)(await unpublished.ExecuteScalarAsync())! == 0;
        }, TimeSpan.FromSeconds(30));
        var witness = Guid.NewGuid();
        await CommitEventAsync(host, witness);
        await Eventually.TrueAsync(() => _deliveries.FinishedFor(witness) == 1, TimeSpan.FromSeconds(30));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static NpgsqlDataSource DataSource(IHost host) => host.Services.GetRequiredService<NpgsqlDataSource>();

    private static TicketReopened Reopened(Guid ticketId) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
            new Actor(Guid.NewGuid(), Sides.Staff));

    private static async Task<Guid> ChangeAndEnqueueAsync(NpgsqlTransaction transaction, Guid ticketId)
    {
        await using var change = new NpgsqlCommand(
            "insert into changes values ($1)", transaction.Connection, transaction);
        change.Parameters.Add(new() { Value = ticketId });
        await change.ExecuteNonQueryAsync();
        var message = Reopened(ticketId);
        await Outbox.EnqueueAsync(transaction, message);
        return message.EventId;
    }

    private static async Task<Guid> CommitEventAsync(IHost host, Guid ticketId)
    {
        await using var connection = await DataSource(host).OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var eventId = await ChangeAndEnqueueAsync(transaction, ticketId);
        await transaction.CommitAsync();
        return eventId;
    }

    private static async Task<long> ScalarAsync(IHost host, string sql, object parameter)
    {
        await using var command = DataSource(host).CreateCommand(sql);
        command.Parameters.Add(new() { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
