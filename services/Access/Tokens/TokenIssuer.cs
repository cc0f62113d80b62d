using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Access.Model;

namespace Portal.Access.Tokens;

public sealed class TokenIssuer(SigningKeyStore keys, IOptions<AccessTokenOptions> options, IOptions<SignInBudgetOptions> signIn, TimeProvider clock)
{
    /// <summary>The audience of device tokens: no service accepts them as access tokens.</summary>
    public const string DeviceAudience = "portal-device";

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

    /// <summary>
    /// A device token: proof that this browser (or client) signed in as <paramref name="user"/>
    /// before, so that others' failures on the account do not slow it down (OWASP's device cookies).
    /// </summary>
    public async Task<string> IssueDeviceAsync(DirectoryUser user, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = DeviceAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + signIn.Value.DeviceTokenLifetime,
            Claims = new Dictionary<string, object>
            {
                [PortalClaims.Subject] = user.Id.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The device token's own id when it is valid and <paramref name="userId"/>'s; otherwise null.</summary>
    public async Task<string?> ReadDeviceAsync(string? deviceToken, Guid userId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(deviceToken) || deviceToken.Length > 4096)
            return null;
        var result = await _handler.ValidateTokenAsync(deviceToken, new TokenValidationParameters
        {
            ValidIssuer = options.Value.Issuer,
            ValidAudience = DeviceAudience,
            IssuerSigningKeys = await keys.KeysAsync(ct),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        });
        return result.IsValid
            && result.Claims.TryGetValue(PortalClaims.Subject, out var subject) && subject as string == userId.ToString()
            && result.Claims.TryGetValue(JwtRegisteredClaimNames.Jti, out var id) && id is string jti
            ? jti : null;
    }
}
