namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A RabbitMQ node run as a local process (<c>scripts/rabbitmq.sh</c>), and the cluster it forms with its
/// <see cref="Peers"/> when it has any; its administrator is for operators only.
/// </summary>
public sealed class RabbitMqServerResource(
    string name,
    string command,
    string workingDirectory,
    ParameterResource user,
    ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "amqp";
    internal const string ManagementEndpointName = "management";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ParameterResource User { get; } = user;

    public ParameterResource Password { get; } = password;

    public List<RabbitMqAccountResource> Accounts { get; } = [];

    /// <summary>The other nodes of its cluster, which joined it.</summary>
    public List<RabbitMqNodeResource> Peers { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ConnectionStringFor(AdministratorCredentials);

    internal ReferenceExpression AdministratorCredentials => ReferenceExpression.Create($"{User}:{Password}");

    /// <summary>This node alone, for the account <paramref name="credentials"/>: what health checks reach.</summary>
    internal ReferenceExpression NodeAddressFor(ReferenceExpression credentials) =>
        ReferenceExpression.Create($"amqp://{credentials}@127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");

    /// <summary>
    /// The cluster's address for the account <paramref name="credentials"/> (<c>user:password</c>): every node,
    /// comma-separated, so that a client reaches it through whichever node is up (Portal.Messaging's BrokerAddress).
    /// </summary>
    internal ReferenceExpression ConnectionStringFor(ReferenceExpression credentials)
    {
        var expression = new ReferenceExpressionBuilder();
        expression.Append($"amqp://{credentials}@127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
        foreach (var peer in Peers)
            expression.Append($",127.0.0.1:{peer.Endpoint.Property(EndpointProperty.Port)}");
        return expression.Build();
    }
}

/// <summary>One more node of a <see cref="RabbitMqServerResource"/>'s cluster: the same script, joining it.</summary>
public sealed class RabbitMqNodeResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory)
{
    public EndpointReference Endpoint => new(this, RabbitMqServerResource.EndpointName);
}

/// <summary>
/// One part's own broker account, created by the node's script at every start with its permissions
/// (regular expressions over exchange and queue names, <see cref="BrokerPermissions"/>).
/// </summary>
public sealed class RabbitMqAccountResource(
    string name,
    string user,
    ParameterResource password,
    BrokerPermissions permissions,
    RabbitMqServerResource parent)
    : Resource(name), IResourceWithParent<RabbitMqServerResource>, IResourceWithConnectionString
{
    public RabbitMqServerResource Parent { get; } = parent;

    public string User { get; } = user;

    public ParameterResource Password { get; } = password;

    public BrokerPermissions Permissions { get; } = permissions;

    public ReferenceExpression ConnectionStringExpression => Parent.ConnectionStringFor(Credentials);

    internal ReferenceExpression Credentials => ReferenceExpression.Create($"{User}:{Password}");
}
