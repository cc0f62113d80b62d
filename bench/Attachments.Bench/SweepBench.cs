using Portal.Database;
using System.Diagnostics;
using Azure.Storage.Blobs;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.AccessProjection;
using Portal.Attachments.Data;
using Portal.Attachments.Storage;
using Portal.Messaging;
using Portal.Testing;

namespace Portal.Attachments.Bench;

/// <summary>
/// How fast the orphan sweep empties a backlog, against a real PostgreSQL and Azurite of its own:
/// N orphans (records and 2 KiB blobs, a day old), swept three times over, against the fastest
/// sustained upload rate the gateway allows one person (Gateway:ApiRequestsPerSecond, 50 a second).
/// </summary>
public static class SweepBench
{
    public static async Task RunAsync(int orphans)
    {
        await using var postgres = await PostgresServer.StartAsync("attachments");
        await using var azurite = await AzuriteServer.StartAsync();
        var connectionString = postgres.ConnectionString("attachments");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new DatabaseMigrator(dataSource, connectionString,
            [typeof(Outbox).Assembly, typeof(TicketAccess).Assembly, typeof(AttachmentStore).Assembly],
            NullLogger<DatabaseMigrator>.Instance).StartAsync(CancellationToken.None);
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("attachments");
        await container.CreateIfNotExistsAsync();
        var sweeper = new OrphanSweeper(new AttachmentStore(dataSource), container,
            Options.Create(new AttachmentOptions()), NullLogger<OrphanSweeper>.Instance);

        const int uploadRate = 50;
        var rates = new List<double>();
        for (var run = 1; run <= 3; run++)
        {
            var ids = Enumerable.Range(0, orphans).Select(_ => Guid.CreateVersion7()).ToArray();
            var content = new BinaryData(new byte[2048]);
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (id, ct) => await container.GetBlobClient(id.ToString("N")).UploadAsync(content, ct));
            await using (var connection = await dataSource.OpenConnectionAsync())
            {
                await connection.ExecuteAsync(
                    """
                    insert into attachments (id, owner_id, file_name, content_type, size, sha256, scan_state,
                        created_at)
                    select id, gen_random_uuid(), 'f.pdf', 'application/pdf', 2048, '', 'clean',
                        now() - interval '25 hours'
                    from unnest(@ids) id
                    """, new { ids });
            }

            var clock = Stopwatch.StartNew();
            var swept = await sweeper.SweepAsync(CancellationToken.None);
            var rate = swept / clock.Elapsed.TotalSeconds;
            rates.Add(rate);
            Console.WriteLine(
                $"run {run}: swept {swept} orphans in {clock.Elapsed.TotalSeconds:0.00} s: {rate:0} a second");
        }
        rates.Sort();
        Console.WriteLine($"sweep: median {rates[1]:0}/s (spread {rates[0]:0}–{rates[2]:0}/s) vs {uploadRate} uploads/s"
            + $" allowed per person: {rates[1] / uploadRate:0.0}× faster");
    }
}
