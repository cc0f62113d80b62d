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

    public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        var section = configuration.GetSection("Auth:ClaimNames");
        if (!section.Exists() || principal.Identity is not ClaimsIdentity identity)
            return Task.FromResult(principal);

        foreach (var (setting, target) in Settings)
        {
            if (section[setting] is not { Length: > 0 } source || source == target
                || identity.HasClaim(c => c.Type == target))
                continue;
            foreach (var claim in identity.FindAll(source).ToList())
                identity.AddClaim(new Claim(target, claim.Value, claim.ValueType, claim.Issuer));
        }
        return Task.FromResult(principal);
    }
}
