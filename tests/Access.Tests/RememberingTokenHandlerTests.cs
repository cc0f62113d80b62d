using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>A token's signature is verified once per scheme; every request still gets an identity of its own.</summary>
public sealed class RememberingTokenHandlerTests
{
    private static readonly ECDsaSecurityKey Key = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "a" };
    private static readonly ECDsaSecurityKey OtherKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "a" };

    [Fact]
    public async Task A_valid_token_is_remembered_by_its_handler_only_and_each_answer_has_its_own_identity()
    {
        var token = Sign(Key, DateTime.UtcNow.AddMinutes(10));
        var handler = new RememberingTokenHandler();

        var first = await handler.ValidateTokenAsync(token, Parameters(Key));
        // Against a key that cannot verify it, the same handler answers from memory: it verified the token already.
        var again = await handler.ValidateTokenAsync(token, Parameters(OtherKey));

        Assert.True(first.IsValid);
        Assert.True(again.IsValid);
        Assert.NotSame(first.ClaimsIdentity, again.ClaimsIdentity);
        Assert.Equal("camille", again.ClaimsIdentity.FindFirst("sub")?.Value);
        // Another scheme's handler verifies for itself.
        Assert.False((await new RememberingTokenHandler().ValidateTokenAsync(token, Parameters(OtherKey))).IsValid);
    }

    [Fact]
    public async Task A_token_that_fails_is_not_remembered_and_an_expired_one_is_not_accepted()
    {
        var handler = new RememberingTokenHandler();
        var forged = Sign(OtherKey, DateTime.UtcNow.AddMinutes(10));
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);
        Assert.False((await handler.ValidateTokenAsync(forged, Parameters(Key))).IsValid);

        var expired = Sign(Key, DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-10));
        Assert.False((await handler.ValidateTokenAsync(expired, Parameters(Key))).IsValid);
    }

    private static string Sign(SecurityKey key, DateTime expires, DateTime? notBefore = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "portal", Audience = "portal-api", Expires = expires, NotBefore = notBefore,
            IssuedAt = notBefore, Claims = new Dictionary<string, object> { ["sub"] = "camille" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "portal", ValidAudience = "portal-api", IssuerSigningKey = key, ClockSkew = TimeSpan.Zero,
    };
}
