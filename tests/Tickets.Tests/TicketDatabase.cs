using Portal.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.AccessProjection;
using Portal.Messaging;
using Portal.Testing;
using Microsoft.Extensions.Options;
using Portal.Tickets.Data;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>A real PostgreSQL server with the Tickets schema, shared by the store's tests.</summary>
public sealed class TicketDatabase : IAsyncLifetime
{
    private PostgresServer _server = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>Every call is one second after the previous one, so that messages are ordered as written.</summary>
    public TimeProvider Clock { get; } = new SteppingClock();

    /// <summary>The store with the default teams and targets, on <see cref="Clock"/>.</summary>
    public TicketStore Store() =>
        new(DataSource, Clock, new Teams([]), Options.Create(new ServiceLevelOptions()));

    public TicketList List() => new(DataSource, Clock);

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync("tickets");
        var connectionString = _server.ConnectionString("tickets");
        DataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(DataSource, connectionString,
            [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(TicketStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _server.DisposeAsync();
    }

    private sealed class SteppingClock : TimeProvider
    {
        private long _ticks = new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc).Ticks;

        public override DateTimeOffset GetUtcNow() =>
            new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}

[CollectionDefinition(Name)]
public sealed class TicketDatabaseCollection : ICollectionFixture<TicketDatabase>
{
    public const string Name = "tickets-db";
}
