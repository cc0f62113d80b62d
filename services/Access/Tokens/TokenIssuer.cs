using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Access.Model;

namespace Portal.Access.Tokens;

public sealed class TokenIssuer(SigningKeyStore keys, IOptions<AccessTokenOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<string> IssueAsync(DirectoryUser user, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [PortalClaims.Subject] = user.Id.ToString(),
            [PortalClaims.Email] = user.Email,
            [PortalClaims.Name] = user.DisplayName,
            [PortalClaims.Role] = user.Role,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
        };
        if (user.CompanyId is { } companyId)
            claims[PortalClaims.CompanyId] = companyId.ToString();

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>A service's own token for calling <paramref name="audience"/>'s internal endpoints.</summary>
    public async Task<string> IssueServiceAsync(string clientId, string audience, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.ServiceTokenLifetime,
            Claims = new Dictionary<string, object>
            {
                [PortalClaims.Subject] = clientId,
                [ServiceIdentity.ClientIdClaim] = clientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
