using Portal.Access.Data;
using Portal.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Access.Tokens;
using Portal.Messaging;
using Portal.Testing;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>A real PostgreSQL with Access's schema, empty, for one test class.</summary>
public sealed class AccessDatabase : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync("access");
        DataSource = NpgsqlDataSource.Create(_postgres.ConnectionString("access"));
        await new DatabaseMigrator(DataSource, _postgres.ConnectionString("access"),
            [typeof(Outbox).Assembly, typeof(SigningKeyStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
