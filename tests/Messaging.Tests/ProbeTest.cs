using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace Portal.Messaging.Tests;

/// <summary>
/// A test of one probe service (<see cref="ProbeHost"/>), stopped when the test ends, with its database at hand.
/// </summary>
public abstract class ProbeTest(BrokerFixture servers) : IAsyncLifetime
{
    protected BrokerFixture Servers { get; } = servers;

    protected Deliveries Deliveries { get; } = new();

    /// <summary>The service, once <see cref="StartAsync"/> started it.</summary>
    protected IHost Host { get; private set; } = null!;

    protected async Task StartAsync(
        IDictionary<string, string?>? settings = null,
        string serviceName = "probe",
        Action<HostApplicationBuilder>? configure = null) =>
        Host = await ProbeHost.StartAsync(Servers, Deliveries, settings, configure, serviceName);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Host is null)
            return;
        await Host.StopAsync();
        Host.Dispose();
    }

    protected async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    protected async Task<long> CountAsync(string sql, params object[] parameters)
    {
        await using var command = Command(sql, parameters);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private NpgsqlCommand Command(string sql, object[] parameters)
    {
        var command = Host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        foreach (var parameter in parameters)
            command.Parameters.Add(new() { Value = parameter });
        return command;
    }
}
