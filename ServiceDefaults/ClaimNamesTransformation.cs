using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;

namespace Portal.ServiceDefaults;

/// <summary>
/// Lets another identity provider (Keycloak, Entra ID) stand in for Access by configuration alone:
/// <c>Auth:ClaimNames:Role</c> (and <c>Subject</c>, <c>Email</c>, <c>Name</c>, <c>CompanyId</c>) name the
/// provider's claims, which are then read as Portal's own.
/// </summary>
public sealed class ClaimNamesTransformation(IConfiguration configuration) : IClaimsTransformation
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Subject"] = PortalClaims.Subject,
        ["Email"] = PortalClaims.Email,
        ["Name"] = PortalClaims.Name,
        ["Role"] = PortalClaims.Role,
        ["CompanyId"] = PortalClaims.CompanyId,
    };

    // Read when the service starts, not on every request: looking the section up walked every configuration
    // provider's keys, a twentieth of the gateway's CPU per proxied call.
    private readonly (string Source, string Target)[] _renames = Settings
        .Select(setting => (Source: configuration[$"Auth:ClaimNames:{setting.Key}"], Target: setting.Value))
        .Where(rename => rename.Source is { Length: > 0 } && rename.Source != rename.Target)
        .Select(rename => (rename.Source!, rename.Target))
        .ToArray();

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (_renames.Length == 0 || principal.Identity is not ClaimsIdentity identity)
            return Task.FromResult(principal);

        foreach (var (source, target) in _renames)
        {
            if (identity.HasClaim(c => c.Type == target))
                continue;
            foreach (var claim in identity.FindAll(source).ToList())
                identity.AddClaim(new Claim(target, claim.Value, claim.ValueType, claim.Issuer));
        }
        return Task.FromResult(principal);
    }
}
