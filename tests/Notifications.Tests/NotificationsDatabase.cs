using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.AccessProjection;
using Portal.Database;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Testing;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>A PostgreSQL of its own with the Notifications schema (and the libraries'), for one test class.</summary>
public sealed class NotificationsDatabase : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync("notifications");
        var connectionString = _postgres.ConnectionString("notifications");
        DataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(DataSource, connectionString,
            [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(NotificationStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
