using System.Security.Cryptography;

namespace Aspire.Hosting;

public static class ServiceIdentityExtensions
{
    /// <summary>
    /// The service's own client credentials, known to it and to Access, exchanged at Access for the
    /// tokens of its calls to other services' internal endpoints (and naming it as their audience).
    /// The secret is drawn anew at every start; every instance of the service has the same.
    /// </summary>
    public static PortalProject WithServiceIdentity(this PortalProject service, PortalProject access)
    {
        var name = service.Name;
        var secret = service.Resource.ApplicationBuilder.AddParameter(
            $"{name}-client-secret", RandomNumberGenerator.GetHexString(32, lowercase: true), secret: true);
        access.Each(instance => instance.WithEnvironment($"ServiceClients__{name}", secret));
        return service.Each(instance => instance
            .WithEnvironment("ServiceIdentity__ClientId", name)
            .WithEnvironment("ServiceIdentity__ClientSecret", secret));
    }
}
