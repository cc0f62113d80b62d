namespace Aspire.Hosting.ApplicationModel;

/// <summary>A RabbitMQ node run as a local process (<c>scripts/rabbitmq.sh</c>).</summary>
public sealed class RabbitMqServerResource(string name, string command, string workingDirectory, ParameterResource user, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "amqp";
    internal const string ManagementEndpointName = "management";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ParameterResource User { get; } = user;

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{User}:{Password}@127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}");
}
