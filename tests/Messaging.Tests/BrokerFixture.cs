using Portal.Contracts;
using Portal.Testing;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>One PostgreSQL server and one RabbitMQ node for every test of the collection.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RabbitMqServer RabbitMq { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync("probe");
        // The probe publishes TicketReopened, which Tickets owns: it connects as "tickets".
        var rabbit = RabbitMqServer.StartAsync(Publishers.Tickets);
        Postgres = await postgres;
        RabbitMq = await rabbit;
    }

    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await RabbitMq.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "broker";
}
