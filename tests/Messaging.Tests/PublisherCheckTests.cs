using Portal.Database;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Testing;
using RabbitMQ.Client;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// An event counts only when its owner published it: the AMQP user-id, checked by RabbitMQ, says who did.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class PublisherCheckTests(BrokerFixture servers) : IAsyncLifetime
{
    private readonly Deliveries _deliveries = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:probe"] = servers.Postgres.ConnectionString("probe"),
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionStringFor(Publishers.Tickets),
        });
        builder.Services.AddSingleton(_deliveries);
        builder.AddPortalDatabase("probe", typeof(OutboxTests).Assembly);
        builder.AddPortalMessaging(Publishers.Tickets, x =>
        {
            x.AddConsumer<ProbeConsumer>();
            x.AddConsumer<ProbeBatchConsumer>(c => c.Options<BatchOptions>(b => b.SetMessageLimit(10)
                .SetTimeLimit(TimeSpan.FromMilliseconds(500))));
        });
        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public Task An_event_from_another_account_or_without_user_id_is_set_aside_and_the_owners_is_consumed() =>
        OnlyTheOwnersEventIsConsumedAsync(Reopened);

    // Within one batch's time: the refused ones must not take the genuine one down with them.
    [Fact]
    public Task A_batch_consumer_gets_the_owners_events_and_the_others_are_set_aside_one_by_one() =>
        OnlyTheOwnersEventIsConsumedAsync(Closed);

    /// <summary>
    /// Publishes an event as the broker's administrator, one without user-id and the owner's, one after the other:
    /// the refused deliveries end in the account's dead-letter queue, and only the owner's is consumed.
    /// </summary>
    private async Task OnlyTheOwnersEventIsConsumedAsync<TEvent>(Func<Guid, TEvent> about)
        where TEvent : class
    {
        var deadBefore = await DeadLetterCountAsync();
        var fromAdministrator = Guid.NewGuid();
        var anonymous = Guid.NewGuid();
        var genuine = Guid.NewGuid();

        await RawPublisher.PublishAsync(servers.RabbitMq.ConnectionString, about(fromAdministrator));
        await RawPublisher.PublishAsync(
            servers.RabbitMq.ConnectionStringFor(Publishers.Tickets), about(anonymous), claimUserId: false);
        await _host.Services.GetRequiredService<IBus>().Publish(about(genuine));

        await Eventually.TrueAsync(
            async () => await DeadLetterCountAsync() == deadBefore + 2 && _deliveries.CountFor(genuine) == 1,
            state: async () => $"dead letters {await DeadLetterCountAsync() - deadBefore}, "
                + $"genuine delivered {_deliveries.CountFor(genuine)}");
        Assert.Equal(0, _deliveries.CountFor(fromAdministrator));
        Assert.Equal(0, _deliveries.CountFor(anonymous));
    }

    [Fact]
    public async Task The_broker_refuses_a_user_id_that_is_not_the_connections_account()
    {
        var factory = new ConnectionFactory { Uri = new Uri(servers.RabbitMq.ConnectionStringFor(Publishers.Tickets)) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var impersonating = new BasicProperties { UserId = Publishers.Access };
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync(
                "Portal.Contracts:TicketReopened", "", false, impersonating, "{}"u8.ToArray()));
    }

    private async Task<uint> DeadLetterCountAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(servers.RabbitMq.ConnectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync("tickets-dead-letters")).MessageCount;
    }

    private static TicketClosed Closed(Guid ticketId) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
            new Actor(Guid.NewGuid(), Sides.Staff), "resolved");

    private static TicketReopened Reopened(Guid ticketId) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, ticketId, Guid.NewGuid(),
            new Actor(Guid.NewGuid(), Sides.Staff));
}
