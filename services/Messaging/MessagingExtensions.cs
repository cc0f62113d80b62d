using System.Reflection;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Portal.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The service's own database (<see cref="NpgsqlDataSource"/>, health check, tracing) and its
    /// schema, migrated at start-up before anything else runs.
    /// </summary>
    public static IHostApplicationBuilder AddPortalDatabase(
        this IHostApplicationBuilder builder, string connectionName, params Assembly[] schemaAssemblies)
    {
        builder.AddNpgsqlDataSource(connectionName);
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"Connection string '{connectionName}' is missing.");
        builder.Services.AddHostedService(sp => new DatabaseMigrator(
            sp.GetRequiredService<NpgsqlDataSource>(), connectionString, schemaAssemblies, sp.GetRequiredService<ILogger<DatabaseMigrator>>()));
        return builder;
    }

    /// <summary>
    /// The bus (RabbitMQ from the <c>rabbitmq</c> connection string,
    /// quorum queues, publisher confirms, bounded retries then <c>_error</c>), then the outbox relay.
    /// Queues are named after the service, so two services consuming one event each get a copy.
    /// </summary>
    public static IHostApplicationBuilder AddPortalMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var broker = new Uri(builder.Configuration.GetConnectionString("rabbitmq")
            ?? throw new InvalidOperationException("Connection string 'rabbitmq' is missing."));
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((_, cfg) =>
            {
                cfg.UseMessageRetry(r => r.Intervals(100, 500, 2000));
                if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit)
                    rabbit.SetQuorumQueue();
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var credentials = Uri.UnescapeDataString(broker.UserInfo).Split(':', 2);
                var virtualHost = broker.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
                cfg.Host(broker.Host, (ushort)(broker.IsDefaultPort ? 5672 : broker.Port), virtualHost, h =>
                {
                    h.Username(credentials[0]);
                    h.Password(credentials.ElementAtOrDefault(1) ?? "");
                    h.PublisherConfirmation = true;
                });
                cfg.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        return builder;
    }
}
