namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A RabbitMQ node run as a local process (<c>scripts/rabbitmq.sh</c>); its administrator is for operators only.
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

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{User}:{Password}@127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
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

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{User}:{Password}@127.0.0.1:{Parent.Endpoint.Property(EndpointProperty.Port)}");
}
