using Portal.Database;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.AccessProjection;
using Portal.Attachments.Data;
using Portal.Messaging;
using Portal.Testing;
using Xunit;

namespace Portal.Attachments.Tests;

/// <summary>A real PostgreSQL with the Attachments schema and a real Azurite, shared by the storage tests.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private PostgresServer _postgres = null!;

    public AzuriteServer Azurite { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public BlobContainerClient Container { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync("attachments");
        var azurite = AzuriteServer.StartAsync();
        _postgres = await postgres;
        Azurite = await azurite;

        var connectionString = _postgres.ConnectionString("attachments");
        DataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(DataSource, connectionString,
            [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(AttachmentStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
        Container = new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient("attachments");
        await Container.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _postgres.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "storage";
}
