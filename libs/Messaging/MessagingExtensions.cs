using System.Data.Common;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Trace;
using Portal.Contracts;
using Portal.Database;
using Portal.Messaging.Monitoring;

namespace Portal.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// The bus (RabbitMQ from the <c>rabbitmq</c> connection string, whose account is the service's
    /// own: quorum queues, publisher confirms, bounded retries then the account's dead-letter queue), then the
    /// outbox relay when the service publishes. Queues are named after the service, so two services consuming one
    /// event each get a copy. Every event sent carries the account as its AMQP <c>user-id</c>, and an
    /// event is consumed only from its owner (<see cref="PublisherCheck"/>). Each instance also hears
    /// revoked tokens on a queue of its own, gone with the instance.
    /// </summary>
    public static IHostApplicationBuilder AddPortalMessaging(
        this IHostApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? configureConsumers = null,
        bool outbox = true)
    {
        var broker = BrokerAddress.Parse(builder.Configuration.GetConnectionString("rabbitmq")
            ?? throw new InvalidOperationException("Connection string 'rabbitmq' is missing."));
        var account = broker.Account;
        var instance = Guid.NewGuid().ToString("N")[..12];
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<RevocationList>();
        var queues = new QueueNames($"{account}-dead-letters");
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit reports usage to its vendor by default: a service holding health data calls nobody.
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers?.Invoke(x);
            x.AddConsumer<TokensRevokedConsumer>().Endpoint(e =>
            {
                e.InstanceId = instance;
                e.Temporary = true;
            });
            x.AddConfigureEndpointsCallback((name, cfg) =>
            {
                // A database out of reach for a while (restarting, failing over) is waited out, up to about two
                // minutes, rather than spending the few deliveries after which the broker dead-letters a message.
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<DbException>(e => e.IsTransient);
                    r.Interval(40, 3000);
                });
                cfg.UseMessageRetry(r => r.Intervals(100, 500, 2000));
                // A message that still fails, or that nobody may consume, goes back to the broker, which
                // dead-letters it after a few deliveries (a policy of each account, scripts/rabbitmq.sh). MassTransit's
                // own move to _error would republish it under this service's user-id, which RabbitMQ refuses.
                cfg.RethrowFaultedMessages();
                cfg.ThrowOnSkippedMessages();
                // A temporary (per-instance, auto-deleted) queue cannot be a quorum queue.
                if (cfg is IRabbitMqReceiveEndpointConfigurator rabbit
                    && !name.EndsWith(instance, StringComparison.Ordinal))
                {
                    rabbit.SetQuorumQueue();
                    queues.AddConsumerQueue(name);
                }
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var nodes = broker.HostPorts.ToList();
                cfg.Host(broker.Nodes[0].Host, (ushort)broker.Nodes[0].Port, broker.VirtualHost, h =>
                {
                    h.Username(account);
                    h.Password(broker.Password);
                    h.PublisherConfirmation = true;
                    // Every node of a cluster: MassTransit reconnects through whichever is up.
                    if (nodes.Count > 1)
                        h.UseCluster(cluster => nodes.ForEach(cluster.Node));
                });
                // Events have an exchange each; the shared interface needs none (and no account may write to one).
                cfg.Publish<IPortalEvent>(p => p.Exclude = true);
                cfg.ConfigurePublish(publish => publish.UseExecute(publishContext =>
                {
                    if (publishContext.TryGetPayload(out RabbitMqSendContext? rabbit))
                        rabbit.BasicProperties.UserId = account;
                }));
                cfg.UseFilter(new PublisherCheck(context.GetRequiredService<ILogger<PublisherCheck>>()));
                cfg.ConfigureEndpoints(context);
            });
        });

        // The outbox and inbox tables, in the service's database (Portal.Database applies them first).
        builder.Services.AddSingleton(new DatabaseSchema(typeof(Outbox).Assembly));

        // Backlogs: sampled for gauges and for the health check (degraded while events pile up).
        builder.Services.AddOptions<MonitoringOptions>().BindConfiguration("Monitoring");
        builder.Services.AddSingleton(queues);
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BacklogSampler>(sp, broker));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BacklogSampler>());
        builder.Services.AddHealthChecks().AddCheck<BacklogHealthCheck>("backlog");

        if (outbox)
        {
            foreach (var gauge in OutboxGauges.All)
                builder.Services.AddDatabaseGauge(gauge);
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(OutboxRelay.Source.Name));
            builder.Services.AddOptions<OutboxOptions>().BindConfiguration("Outbox");
            builder.Services.AddSingleton<OutboxRelay>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
            builder.Services.AddOptions<RetentionOptions>().BindConfiguration("Retention");
            builder.Services.AddSingleton<MessageRetention>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<MessageRetention>());
        }
        return builder;
    }

    /// <summary>
    /// A figure of the service's database sampled with the backlog, as a gauge (<see cref="BacklogSampler"/>).
    /// </summary>
    public static IServiceCollection AddDatabaseGauge(this IServiceCollection services, DatabaseGauge gauge) =>
        services.AddSingleton(gauge);
}
