using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Portal.Database;
using Xunit;

namespace Portal.Messaging.Tests;

[Collection(BrokerCollection.Name)]
public sealed class ConnectionPoolTests(BrokerFixture servers)
{
    [Fact]
    public async Task A_process_keeps_at_most_twenty_connections_and_the_next_caller_waits_for_one()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:probe"] = servers.Postgres.ConnectionString("probe"),
        });
        builder.AddPortalDatabase("probe");
        // Not started: nothing of the host's own holds a connection.
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < DatabaseExtensions.MaxPoolSize; i++)
                held.Add(await dataSource.OpenConnectionAsync());

            // The 21st is not opened beside them: it waits in the pool's queue.
            var next = dataSource.OpenConnectionAsync().AsTask();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(patience.Token));
            Assert.False(next.IsCompleted);

            await held[0].DisposeAsync();
            await using var served = await next.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(System.Data.ConnectionState.Open, served.State);
        }
        finally
        {
            // Returned whatever happened, so that a failure here leaves the shared server's connections free.
            foreach (var connection in held)
                await connection.DisposeAsync();
        }
    }
}
