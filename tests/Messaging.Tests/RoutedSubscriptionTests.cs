using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Contracts;
using Portal.Database;
using Portal.Testing;
using RabbitMQ.Client;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// A queue subscribed to the messages with files (as Attachments') is sent only those; a queue subscribed the usual
/// way, every message; and a binding an earlier version left straight from the event's exchange goes away.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class RoutedSubscriptionTests(BrokerFixture servers) : IAsyncLifetime
{
    private const string RoutedQueue = "routed-posted-with-files-probe";

    private readonly PostedDeliveries _deliveries = new();
    private IHost _host = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is null)
            return;
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Only_messages_with_files_reach_the_routed_queue_and_every_message_reaches_the_others()
    {
        await StartAsync();

        var (plain, withFiles) = await PostPlainThenWithFilesAsync();

        Assert.Contains(plain, _deliveries.Every);
        Assert.Contains(withFiles, _deliveries.Every);
        Assert.DoesNotContain(plain, _deliveries.WithFiles);
    }

    [Fact]
    public async Task The_binding_an_earlier_version_made_straight_from_the_events_exchange_is_removed()
    {
        // As MassTransit's own topology bound the queue before: every MessagePosted came.
        var factory = new ConnectionFactory { Uri = new Uri(servers.RabbitMq.ConnectionString) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var events = RoutedSubscription.ExchangeOf<MessagePosted>();
            await channel.ExchangeDeclareAsync(events, ExchangeType.Fanout, durable: true);
            await channel.ExchangeDeclareAsync(RoutedQueue, ExchangeType.Fanout, durable: true);
            await channel.ExchangeBindAsync(destination: RoutedQueue, source: events, routingKey: "");
        }
        await StartAsync();

        var (plain, _) = await PostPlainThenWithFilesAsync();

        Assert.DoesNotContain(plain, _deliveries.WithFiles);
    }

    /// <summary>
    /// A message without files, published (every queue it is routed to has it), then one with files, consumed from
    /// the routed queue. That queue is consumed one message at a time, in order: had the first been routed there,
    /// it would have been consumed before the second.
    /// </summary>
    private async Task<(Guid Plain, Guid WithFiles)> PostPlainThenWithFilesAsync()
    {
        var plain = Guid.NewGuid();
        var withFiles = Guid.NewGuid();
        await PostAsync(plain, []);
        await Eventually.TrueAsync(() => _deliveries.Every.Contains(plain), TimeSpan.FromSeconds(30));
        await PostAsync(withFiles, [Guid.NewGuid()]);
        await Eventually.TrueAsync(() => _deliveries.WithFiles.Contains(withFiles), TimeSpan.FromSeconds(30));
        return (plain, withFiles);
    }

    private async Task PostAsync(Guid ticketId, IReadOnlyList<Guid> files)
    {
        await using var connection = await _host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Outbox.EnqueueAsync(transaction, new MessagePosted(Guid.CreateVersion7(), DateTimeOffset.UtcNow,
            ticketId, Guid.NewGuid(), Guid.NewGuid(), new Actor(Guid.NewGuid(), Sides.Staff), false, files));
        await transaction.CommitAsync();
    }

    private async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:probe"] = servers.Postgres.ConnectionString("probe"),
            // MessagePosted is Tickets': only its account's are consumed.
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionStringFor(Publishers.Tickets),
        });
        builder.Services.AddSingleton(_deliveries);
        builder.AddPortalDatabase("probe", typeof(ProbeHost).Assembly);
        builder.AddPortalMessaging("routed", x =>
        {
            x.AddConsumer<PostedWithFilesProbeConsumer, PostedWithFilesProbeDefinition>();
            x.AddConsumer<EveryPostedProbeConsumer>();
        });
        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }
}

/// <summary>The threads of the messages each probe consumer was sent.</summary>
public sealed class PostedDeliveries
{
    public ConcurrentQueue<Guid> WithFiles { get; } = new();

    public ConcurrentQueue<Guid> Every { get; } = new();
}

public sealed class PostedWithFilesProbeConsumer(PostedDeliveries deliveries) : IConsumer<MessagePosted>
{
    public Task Consume(ConsumeContext<MessagePosted> context)
    {
        deliveries.WithFiles.Enqueue(context.Message.TicketId);
        return Task.CompletedTask;
    }
}

public sealed class PostedWithFilesProbeDefinition : ConsumerDefinition<PostedWithFilesProbeConsumer>
{
    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PostedWithFilesProbeConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.SubscribeWhere<MessagePosted>(RoutingHeaders.WithFiles, RoutingHeaders.Yes);
        endpointConfigurator.PrefetchCount = 1;
        endpointConfigurator.ConcurrentMessageLimit = 1;
    }
}

public sealed class EveryPostedProbeConsumer(PostedDeliveries deliveries) : IConsumer<MessagePosted>
{
    public Task Consume(ConsumeContext<MessagePosted> context)
    {
        deliveries.Every.Enqueue(context.Message.TicketId);
        return Task.CompletedTask;
    }
}
