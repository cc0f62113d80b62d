using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Portal.Access.Tokens;

/// <summary>
/// The services that may ask for a token of their own, each with its secret (<c>ServiceClients:&lt;name&gt;</c>,
/// given by the AppHost). A service is also an audience: a token names the one service it may call.
/// </summary>
public sealed class ServiceClients(IOptions<ServiceClientOptions> options)
{
    public bool IsService(string? name) => name is not null && options.Value.ContainsKey(name);

    public bool Verify(string? clientId, string? secret)
    {
        if (clientId is null || secret is null || !options.Value.TryGetValue(clientId, out var expected)
            || string.IsNullOrEmpty(expected))
            return false;
        // Hashes of equal length, compared in constant time.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}

public sealed class ServiceClientOptions : Dictionary<string, string>;
