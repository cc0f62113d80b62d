using Portal.Database;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Contracts;

namespace Portal.Messaging.Tests;

/// <summary>
/// A service as Portal's are wired (database, outbox, bus), consuming with <see cref="ProbeConsumer"/>, started and
/// ready.
/// </summary>
public static class ProbeHost
{
    public static async Task<IHost> StartAsync(
        BrokerFixture servers,
        Deliveries deliveries,
        IDictionary<string, string?>? settings = null,
        Action<HostApplicationBuilder>? configure = null,
        string serviceName = "probe")
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:probe"] = servers.Postgres.ConnectionString("probe"),
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionStringFor(Publishers.Tickets),
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder);
        builder.Services.AddSingleton(deliveries);
        builder.AddPortalDatabase("probe", typeof(ProbeHost).Assembly);
        builder.AddPortalMessaging(serviceName, x => x.AddConsumer<ProbeConsumer>());
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }
}
