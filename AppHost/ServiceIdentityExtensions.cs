using System.Security.Cryptography;

namespace Aspire.Hosting;

public static class ServiceIdentityExtensions
{
    /// <summary>
    /// The service's own client credentials, known to it and to Access, exchanged at Access for the
    /// tokens of its calls to other services' internal endpoints (and naming it as their audience).
    /// The secret is drawn anew at every start.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceIdentity(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> access)
    {
        var name = service.Resource.Name;
        var secret = service.ApplicationBuilder.AddParameter(
            $"{name}-client-secret", RandomNumberGenerator.GetHexString(32, lowercase: true), secret: true);
        access.WithEnvironment($"ServiceClients__{name}", secret);
        return service
            .WithEnvironment("ServiceIdentity__ClientId", name)
            .WithEnvironment("ServiceIdentity__ClientSecret", secret);
    }
}
