using System.Security.Cryptography;
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
        var server = new PostgresServerResource(
            name, Script(builder, "postgres.sh"), builder.AppHostDirectory, password.Resource);
        // Ready once the script has made every database and its owner: each owner can connect.
        AddHealthCheck(builder, name, async ct =>
        {
            foreach (var database in server.Databases
                .Select(d => d.ConnectionStringExpression)
                .Prepend(server.ConnectionStringExpression))
            {
                await using var connection = new NpgsqlConnection(await database.GetValueAsync(ct));
                await connection.OpenAsync(ct);
            }
        });
        return builder.AddResource(server)
            .WithEndpoint(port: port, scheme: "tcp", name: PostgresServerResource.EndpointName, env: "PG_PORT",
                isProxied: port is null)
            .WithEnvironment("PG_DATA", Path.Combine(dataDirectory, name))
            .WithEnvironment("PG_PASSWORD", password)
            .WithEnvironment("PG_FSYNC", durable ? "on" : "off")
            .WithEnvironment(context => context.EnvironmentVariables["PG_DATABASES"] = Joined(' ', server.Databases,
                (expression, database) => expression.Append(
                    $"{database.DatabaseName}:{database.Owner}:{database.Password}")))
            .WithHealthCheck(name);
    }

    /// <param name="owner">The role that owns the database and is the only one to connect to it.</param>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> server, string name, string owner)
    {
        var database = new PostgresDatabaseResource(name, name.Replace('-', '_'), owner,
            GeneratedSecret(server.ApplicationBuilder, $"{name}-password").Resource, server.Resource);
        server.Resource.Databases.Add(database);
        AddHealthCheck(server.ApplicationBuilder, name, async ct =>
        {
            await using var connection =
                new NpgsqlConnection(await database.ConnectionStringExpression.GetValueAsync(ct));
            await connection.OpenAsync(ct);
        });
        return server.ApplicationBuilder.AddResource(database)
            .RunsWith(server, "PostgresDatabase",
                new ResourcePropertySnapshot("DatabaseName", database.DatabaseName),
                new ResourcePropertySnapshot("Owner", owner))
            .WithHealthCheck(name);
    }

    public static IResourceBuilder<RabbitMqServerResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int? port = null,
        int? managementPort = null)
    {
        var user = builder.AddParameter($"{name}-user", "portal");
        // The administrator is for operators: its password changes at every start (scripts/rabbitmq.sh leaves it in
        // the data folder).
        var password = GeneratedSecret(builder, $"{name}-password");
        var server = new RabbitMqServerResource(
            name, Script(builder, "rabbitmq.sh"), builder.AppHostDirectory, user.Resource, password.Resource);
        AddHealthCheck(builder, name, ct => ConnectAsync(server.NodeAddressFor(server.AdministratorCredentials), ct));
        return builder.AddResource(server)
            // A fixed port (run mode) is the node's own, so that the URLs the node knows (scripts/add-subscriber.sh)
            // are the ones to use.
            .WithEndpoint(port: port, scheme: "tcp", name: RabbitMqServerResource.EndpointName, env: "RABBITMQ_PORT",
                isProxied: port is null)
            .WithHttpEndpoint(port: managementPort, name: RabbitMqServerResource.ManagementEndpointName,
                env: "RABBITMQ_MANAGEMENT_PORT", isProxied: managementPort is null)
            // The default distribution port (node port + 20000) overflows for high node ports.
            .WithEndpoint(scheme: "tcp", name: "dist", env: "RABBITMQ_DIST_PORT")
            .WithEnvironment("RABBITMQ_DATA", Path.Combine(dataDirectory, name))
            .WithEnvironment("RABBITMQ_USER", user)
            .WithEnvironment("RABBITMQ_PASSWORD", password)
            .WithEnvironment(context => context.EnvironmentVariables["RABBITMQ_ACCOUNTS"] = Joined(
                '\n', server.Accounts, (expression, account) => expression.Append(
                    $"{account.User} {account.Password} {account.Permissions.Configure} {
                        account.Permissions.Write} {account.Permissions.Read}")))
            .WithUrlForEndpoint(
                RabbitMqServerResource.ManagementEndpointName, url => url.DisplayText = "RabbitMQ management")
            .WithHealthCheck(name);
    }

    /// <summary>
    /// A broker account of its own for the part named <paramref name="user"/> (its queues are named
    /// after it), allowed to read <paramref name="consumes"/> and to publish only the events it owns.
    /// </summary>
    public static IResourceBuilder<RabbitMqAccountResource> AddAccount(
        this IResourceBuilder<RabbitMqServerResource> server, string user, params Type[] consumes)
    {
        var name = $"{server.Resource.Name}-{user}";
        var account = new RabbitMqAccountResource(name, user,
            GeneratedSecret(server.ApplicationBuilder, $"{name}-password").Resource,
            BrokerPermissions.For(user, consumes), server.Resource);
        server.Resource.Accounts.Add(account);
        // Ready once the account connects and, for a cluster, every node runs in it: queues declared then are
        // replicated on all of them.
        var node = server.Resource.NodeAddressFor(account.Credentials);
        AddHealthCheck(server.ApplicationBuilder, name, async ct =>
        {
            await ConnectAsync(node, ct);
            if (server.Resource.Peers.Count > 0)
                await RabbitMqCluster.EnsureRunningAsync(server.Resource, 1 + server.Resource.Peers.Count, ct);
        });
        return server.ApplicationBuilder.AddResource(account)
            .RunsWith(server, "RabbitMqAccount", new ResourcePropertySnapshot("User", user))
            .WithHealthCheck(name);
    }

    /// <summary>
    /// Makes <paramref name="server"/> the first node of a cluster with one more node for each of
    /// <paramref name="ports"/> (AMQP and management ports, fixed: a node's name holds its port, and a cluster
    /// remembers its members by name). Each joins the first node once it is up; quorum queues have a replica on
    /// every node.
    /// </summary>
    public static IResourceBuilder<RabbitMqServerResource> WithPeers(
        this IResourceBuilder<RabbitMqServerResource> server, string dataDirectory, int firstNodePort,
        IEnumerable<(int Amqp, int Management)> ports)
    {
        var builder = server.ApplicationBuilder;
        var cookie = GeneratedSecret(builder, $"{server.Resource.Name}-cookie");
        server.WithEnvironment("RABBITMQ_COOKIE", cookie);
        foreach (var (amqp, management) in ports)
        {
            var node = new RabbitMqNodeResource(
                $"{server.Resource.Name}-{server.Resource.Peers.Count + 2}", Script(builder, "rabbitmq.sh"),
                builder.AppHostDirectory);
            server.Resource.Peers.Add(node);
            AddHealthCheck(builder, node.Name, ct => ConnectAsync(ReferenceExpression.Create(
                $"amqp://{server.Resource.AdministratorCredentials}@127.0.0.1:{amqp.ToString()}"), ct));
            builder.AddResource(node)
                .WithEndpoint(port: amqp, scheme: "tcp", name: RabbitMqServerResource.EndpointName,
                    env: "RABBITMQ_PORT", isProxied: false)
                .WithHttpEndpoint(port: management, name: RabbitMqServerResource.ManagementEndpointName,
                    env: "RABBITMQ_MANAGEMENT_PORT", isProxied: false)
                .WithEndpoint(scheme: "tcp", name: "dist", env: "RABBITMQ_DIST_PORT")
                .WithEnvironment("RABBITMQ_DATA", Path.Combine(dataDirectory, node.Name))
                .WithEnvironment("RABBITMQ_USER", server.Resource.User)
                .WithEnvironment("RABBITMQ_PASSWORD", server.Resource.Password)
                .WithEnvironment("RABBITMQ_COOKIE", cookie)
                .WithEnvironment("RABBITMQ_JOIN", $"portal-{firstNodePort.ToString()}@localhost")
                .WithParentRelationship(server.Resource)
                .WaitFor(server)
                .WithHealthCheck(node.Name);
        }
        return server;
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
            // Reached directly, not through a proxy of DCP's: every blob request would be one more hop.
            .WithEndpoint(port: Portal.AppHost.FreePort.Next(), scheme: "http",
                name: AzuriteResource.EndpointName, env: "AZURITE_PORT", isProxied: false)
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
            .WithEndpoint(port: Portal.AppHost.FreePort.Next(), scheme: "tcp",
                name: MailDevResource.SmtpEndpointName, env: "SMTP_PORT", isProxied: false)
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

    /// <summary>
    /// A password drawn anew at every start: the server's script sets it each time, so nothing needs to remember it.
    /// </summary>
    private static IResourceBuilder<ParameterResource> GeneratedSecret(
        IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, RandomNumberGenerator.GetHexString(32, lowercase: true), secret: true);

    private static ReferenceExpression Joined<T>(
        char separator, IEnumerable<T> items, Action<ReferenceExpressionBuilder, T> append)
    {
        var expression = new ReferenceExpressionBuilder();
        foreach (var item in items)
        {
            if (!expression.IsEmpty)
                expression.AppendLiteral(separator.ToString());
            append(expression, item);
        }
        return expression.Build();
    }

    // Aspire does not give a plain child resource a state: it runs once its server is ready.
    private static IResourceBuilder<TChild> RunsWith<TChild, TServer>(
        this IResourceBuilder<TChild> child, IResourceBuilder<TServer> server, string type,
        params ResourcePropertySnapshot[] properties)
        where TChild : IResourceWithParent<TServer> where TServer : IResource
    {
        server.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(
                child.Resource,
                state => state with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }));
        return child
            .WithParentRelationship(server.Resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = type,
                State = KnownResourceStates.Waiting,
                Properties = [.. properties],
            });
    }

    private static async Task ConnectAsync(ReferenceExpression address, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = new Uri(await address.GetValueAsync(ct) ?? "") };
        await using var connection = await factory.CreateConnectionAsync(ct);
    }

    private static string Script(IDistributedApplicationBuilder builder, string file) =>
        Path.Combine(builder.AppHostDirectory, "scripts", file);

    private static void AddHealthCheck(
        IDistributedApplicationBuilder builder, string name, Func<CancellationToken, Task> probe) =>
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
