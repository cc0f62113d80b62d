namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One database of a <see cref="PostgresServerResource"/>, created by the server's script together
/// with its owner: a role of its own, no superuser, the only one that may connect to it.
/// </summary>
public sealed class PostgresDatabaseResource(
    string name,
    string databaseName,
    string owner,
    ParameterResource password,
    PostgresServerResource parent)
    : Resource(name), IResourceWithParent<PostgresServerResource>, IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public string Owner { get; } = owner;

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Parent.Endpoint.Property(EndpointProperty.Port)};Username={Owner};Password={
            Password};Database={DatabaseName}");
}
