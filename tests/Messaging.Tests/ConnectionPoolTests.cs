using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Database;
using Xunit;

namespace Portal.Messaging.Tests;

[Collection(BrokerCollection.Name)]
public sealed class ConnectionPoolTests(BrokerFixture servers) : ProbeTest(servers)
{
    [Fact]
    public async Task A_burst_waits_for_a_pooled_connection_rather_than_opening_one_per_caller()
    {
        await StartAsync();
        var dataSource = Host.Services.GetRequiredService<NpgsqlDataSource>();

        var servedBy = await Task.WhenAll(Enumerable.Range(0, 3 * DatabaseExtensions.MaxPoolSize).Select(async _ =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<int>("select pg_backend_pid() from pg_sleep(0.05)");
        }));

        Assert.InRange(servedBy.Distinct().Count(), 1, DatabaseExtensions.MaxPoolSize);
    }
}
