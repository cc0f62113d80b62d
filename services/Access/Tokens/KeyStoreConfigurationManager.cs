using Portal.Access.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portal.Access.Tokens;

/// <summary>
/// Access validates the tokens it issues from its own key store rather than by fetching its own
/// discovery document over HTTP: the same issuer and keys that the document publishes.
/// </summary>
public sealed class KeyStoreConfigurationManager(SigningKeyStore keys, IOptions<AccessTokenOptions> options)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer };
        foreach (var key in await keys.KeysAsync(cancel))
            configuration.SigningKeys.Add(key);
        return configuration;
    }

    public void RequestRefresh() => keys.Invalidate();
}
