using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Aspire.Hosting;

/// <summary>
/// The servers Portal needs, each run as a plain local process by a script in <c>scripts/</c>
/// (no container engine here), with a port handed out by Aspire and a real protocol health check,
/// so that <c>.WithReference(x).WaitFor(x)</c> reads as with Aspire's container integrations.
/// </summary>
public static class LocalServerExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, bool durable, int? port = null)
    {
        var password = builder.AddParameter($"{name}-password", "portal-dev", secret: true);
        var server = new PostgresServerResource(name, Script(builder, "postgres.sh"), builder.AppHostDirectory, password.Resource);
        AddHealthCheck(builder, name, async ct =>
        {
            await using var connection = new NpgsqlConnection(await server.ConnectionStringExpression.GetValueAsync(ct));
            await connection.OpenAsync(ct);
        });
        return builder.AddResource(server)
            .WithEndpoint(port: port, scheme: "tcp", name: PostgresServerResource.EndpointName, env: "PG_PORT")
            .WithEnvironment("PG_DATA", Path.Combine(dataDirectory, name))
            .WithEnvironment("PG_PASSWORD", password)
            .WithEnvironment("PG_FSYNC", durable ? "on" : "off")
            .WithEnvironment(context => context.EnvironmentVariables["PG_DATABASES"] = string.Join(' ', server.Databases))
            .WithHealthCheck(name);
    }

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        databaseName ??= name.Replace('-', '_');
        server.Resource.Databases.Add(databaseName);
        var database = new PostgresDatabaseResource(name, databaseName, server.Resource);
        AddHealthCheck(server.ApplicationBuilder, name, async ct =>
        {
            await using var connection = new NpgsqlConnection(await database.ConnectionStringExpression.GetValueAsync(ct));
            await connection.OpenAsync(ct);
        });
        // Aspire does not give a plain resource a state: it runs once its server is ready.
        server.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(
                database, state => state with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }));
        return server.ApplicationBuilder.AddResource(database)
            .WithParentRelationship(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("DatabaseName", databaseName)],
            })
            .WithHealthCheck(name);
    }

    public static IResourceBuilder<RabbitMqServerResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int? port = null, int? managementPort = null)
    {
        var user = builder.AddParameter($"{name}-user", "portal");
        var password = builder.AddParameter($"{name}-password", "portal-dev", secret: true);
        var server = new RabbitMqServerResource(name, Script(builder, "rabbitmq.sh"), builder.AppHostDirectory, user.Resource, password.Resource);
        AddHealthCheck(builder, name, async ct =>
        {
            var factory = new ConnectionFactory { Uri = new Uri(await server.ConnectionStringExpression.GetValueAsync(ct) ?? "") };
            await using var connection = await factory.CreateConnectionAsync(ct);
        });
        return builder.AddResource(server)
            .WithEndpoint(port: port, scheme: "tcp", name: RabbitMqServerResource.EndpointName, env: "RABBITMQ_PORT")
            .WithHttpEndpoint(port: managementPort, name: RabbitMqServerResource.ManagementEndpointName, env: "RABBITMQ_MANAGEMENT_PORT")
            // The default distribution port (node port + 20000) overflows for high node ports.
            .WithEndpoint(scheme: "tcp", name: "dist", env: "RABBITMQ_DIST_PORT")
            .WithEnvironment("RABBITMQ_DATA", Path.Combine(dataDirectory, name))
            .WithEnvironment("RABBITMQ_USER", user)
            .WithEnvironment("RABBITMQ_PASSWORD", password)
            .WithUrlForEndpoint(RabbitMqServerResource.ManagementEndpointName, url => url.DisplayText = "RabbitMQ management")
            .WithHealthCheck(name);
    }

    public static IResourceBuilder<AzuriteResource> AddLocalAzurite(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var azurite = new AzuriteResource(name, Script(builder, "azurite.sh"), builder.AppHostDirectory);
        AddHealthCheck(builder, name, async ct =>
        {
            var client = new BlobServiceClient(await azurite.ConnectionStringExpression.GetValueAsync(ct));
            await client.GetPropertiesAsync(ct);
        });
        return builder.AddResource(azurite)
            .WithEndpoint(scheme: "http", name: AzuriteResource.EndpointName, env: "AZURITE_PORT")
            .WithEnvironment("AZURITE_DATA", Path.Combine(dataDirectory, name))
            .WithHealthCheck(name);
    }

    public static IResourceBuilder<MailDevResource> AddLocalMailDev(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int? webPort = null)
    {
        var mail = new MailDevResource(name, Script(builder, "maildev.sh"), builder.AppHostDirectory);
        AddHealthCheck(builder, name, async ct =>
        {
            // A real SMTP greeting, not just an open port.
            var uri = new Uri(await mail.ConnectionStringExpression.GetValueAsync(ct) ?? "");
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(uri.Host, uri.Port, ct);
            using var reader = new StreamReader(tcp.GetStream());
            var greeting = await reader.ReadLineAsync(ct);
            if (greeting is null || !greeting.StartsWith("220", StringComparison.Ordinal))
                throw new InvalidOperationException($"Unexpected SMTP greeting: {greeting}");
        });
        return builder.AddResource(mail)
            .WithEndpoint(scheme: "tcp", name: MailDevResource.SmtpEndpointName, env: "SMTP_PORT")
            .WithHttpEndpoint(port: webPort, name: MailDevResource.WebEndpointName, env: "MAILDEV_WEB_PORT")
            .WithEnvironment("MAILDEV_DATA", Path.Combine(dataDirectory, name))
            .WithUrlForEndpoint(MailDevResource.WebEndpointName, url =>
            {
                // MailDev 3 serves its inbox at /index.html, not at /.
                url.Url += "/index.html";
                url.DisplayText = "Mail inbox";
            })
            .WithHealthCheck(name);
    }

    private static string Script(IDistributedApplicationBuilder builder, string file) =>
        Path.Combine(builder.AppHostDirectory, "scripts", file);

    private static void AddHealthCheck(IDistributedApplicationBuilder builder, string name, Func<CancellationToken, Task> probe) =>
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async ct =>
        {
            try
            {
                await probe(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy(ex.Message, ex);
            }
        });
}
