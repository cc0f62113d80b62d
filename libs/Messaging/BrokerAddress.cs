using RabbitMQ.Client;

namespace Portal.Messaging;

/// <summary>
/// The <c>rabbitmq</c> connection string: an AMQP URI whose authority may name several nodes of one
/// cluster, comma-separated (<c>amqp://user:password@host1:5672,host2:5673/vhost</c>), so that a
/// client reaches the cluster through whichever node is up. Behind one address that already spreads
/// over the nodes (a Kubernetes Service), one node is named.
/// </summary>
public sealed record BrokerAddress(string Account, string Password, string VirtualHost, IReadOnlyList<Uri> Nodes)
{
    public static BrokerAddress Parse(string connectionString)
    {
        var scheme = connectionString.IndexOf("://", StringComparison.Ordinal);
        var at = connectionString.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
            throw new FormatException("The broker's connection string is not amqp://user:password@host:port.");
        var slash = connectionString.IndexOf('/', at);
        var hosts = connectionString[(at + 1)..(slash < 0 ? connectionString.Length : slash)];
        var prefix = connectionString[..(at + 1)];
        var path = slash < 0 ? "" : connectionString[slash..];
        var nodes = hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(host => WithPort(new Uri(prefix + host + path)))
            .ToList();
        if (nodes.Count == 0)
            throw new FormatException("The broker's connection string names no node.");
        var credentials = Uri.UnescapeDataString(nodes[0].UserInfo).Split(':', 2);
        var virtualHost = nodes[0].AbsolutePath is "" or "/"
            ? "/"
            : Uri.UnescapeDataString(nodes[0].AbsolutePath.TrimStart('/'));
        return new BrokerAddress(credentials[0], credentials.ElementAtOrDefault(1) ?? "", virtualHost, nodes);
    }

    /// <summary>Every node as host:port, as MassTransit's cluster configuration takes them.</summary>
    public IEnumerable<string> HostPorts => Nodes.Select(n => $"{n.Host}:{n.Port}");

    /// <summary>A connection to whichever node answers first, for the clients that are not MassTransit's.</summary>
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken ct) =>
        new ConnectionFactory
        {
            UserName = Account,
            Password = Password,
            VirtualHost = VirtualHost,
            ClientProvidedName = clientName,
        }.CreateConnectionAsync(Nodes.Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList(), ct);

    // AMQP's own port when the URI names none (System.Uri knows no default port for amqp).
    private static Uri WithPort(Uri node) => node.Port > 0 ? node : new UriBuilder(node) { Port = 5672 }.Uri;
}
