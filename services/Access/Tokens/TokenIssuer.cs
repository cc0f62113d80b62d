using Portal.Access.Data;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Access.Model;

namespace Portal.Access.Tokens;

public sealed class TokenIssuer(
    SigningKeyStore keys,
    RevocationStore revocations,
    IOptions<AccessTokenOptions> options,
    IOptions<SignInBudgetOptions> signIn,
    TimeProvider clock)
{
    /// <summary>The audience of device tokens: no service accepts them as access tokens.</summary>
    public const string DeviceAudience = "portal-device";

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<string> IssueAsync(DirectoryUser user, CancellationToken ct)
    {
        // A token's iat counts whole seconds, and a revocation of all a person's tokens (deactivation) ends
        // every token issued up to its second: one issued within that second would be born revoked. It waits for
        // the next second instead (at most one, and only just after a revocation), until the clock shows it: a
        // timer may end a little early (Task.Delay counts whole milliseconds, and not on the wall clock).
        if (await revocations.RevokedBeforeAsync(user.Id, ct) is { } revokedBefore)
        {
            var firstValid = DateTimeOffset.FromUnixTimeSeconds(revokedBefore.ToUnixTimeSeconds() + 1);
            while (firstValid - clock.GetUtcNow() is var wait
                && wait > TimeSpan.Zero && wait <= TimeSpan.FromSeconds(1))
                await Task.Delay(wait + TimeSpan.FromMilliseconds(1), clock, ct);
        }
        var claims = new Dictionary<string, object>
        {
            [PortalClaims.Subject] = user.Id.ToString(),
            [PortalClaims.Email] = user.Email,
            [PortalClaims.Name] = user.DisplayName,
            [PortalClaims.Role] = user.Role,
        };
        if (user.CompanyId is { } companyId)
            claims[PortalClaims.CompanyId] = companyId.ToString();
        return await SignAsync(options.Value.Audience, options.Value.Lifetime, claims, ct);
    }

    /// <summary>A service's own token for calling <paramref name="audience"/>'s internal endpoints.</summary>
    public Task<string> IssueServiceAsync(string clientId, string audience, CancellationToken ct) =>
        SignAsync(audience, options.Value.ServiceTokenLifetime, new()
        {
            [PortalClaims.Subject] = clientId,
            [ServiceIdentity.ClientIdClaim] = clientId,
        }, ct);

    /// <summary>
    /// A device token: proof that this browser (or client) signed in as <paramref name="user"/>
    /// before, so that others' failures on the account do not slow it down (OWASP's device cookies).
    /// </summary>
    public Task<string> IssueDeviceAsync(DirectoryUser user, CancellationToken ct) =>
        SignAsync(DeviceAudience, signIn.Value.DeviceTokenLifetime,
            new() { [PortalClaims.Subject] = user.Id.ToString() }, ct);

    // Every token Access hands out: its issuer, a fresh jti, signed with the current key.
    private async Task<string> SignAsync(
        string audience, TimeSpan lifetime, Dictionary<string, object> claims, CancellationToken ct)
    {
        var key = await keys.CurrentAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        claims[JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
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
            && result.Claims.TryGetValue(PortalClaims.Subject, out var subject)
            && subject as string == userId.ToString()
            && result.Claims.TryGetValue(JwtRegisteredClaimNames.Jti, out var id) && id is string jti
            ? jti : null;
    }
}
