using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Portal.ServiceDefaults;

/// <summary>
/// Verifies a token's signature once: a person's token comes back on every call of their session, and an ES256
/// verification costs more CPU than proxying the call it guards. A valid token is remembered, by its exact text,
/// until it expires and for 5 minutes at most; each request gets its own copy of the identity, and the revocation
/// check (<see cref="AuthenticationExtensions"/>) still runs on every request. One instance per scheme: what one
/// scheme accepts (an audience) says nothing to another.
/// </summary>
public sealed class RememberingTokenHandler : JsonWebTokenHandler
{
    private static readonly TimeSpan AtMost = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _valid = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public override async Task<TokenValidationResult> ValidateTokenAsync(
        string token, TokenValidationParameters validationParameters)
    {
        if (_valid.TryGetValue(token, out TokenValidationResult? known)
            && known!.SecurityToken.ValidTo > DateTime.UtcNow)
            return Copy(known);
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid)
            return result;
        var until = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
        _valid.Set(token, result, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpiration = until < DateTimeOffset.UtcNow + AtMost ? until : DateTimeOffset.UtcNow + AtMost,
        });
        return Copy(result);
    }

    // Claims transformations add to the identity they are handed: a remembered one is never handed out itself.
    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        Issuer = result.Issuer,
        TokenType = result.TokenType,
    };
}
