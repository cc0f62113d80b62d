namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Azurite's blob service run as a local process (<c>scripts/azurite.sh</c>). The endpoint names
/// 127.0.0.1, not localhost: only then does the SDK treat the URL as path-style.
/// </summary>
public sealed class AzuriteResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "blob";

    // Azurite's well-known development account, public by design.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={
            AccountKey};BlobEndpoint=http://127.0.0.1:{Endpoint.Property(EndpointProperty.Port)}/devstoreaccount1;");
}
