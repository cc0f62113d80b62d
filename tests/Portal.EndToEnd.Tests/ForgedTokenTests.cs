using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Every kind of forged token is refused with 401, at the gateway and by each service reached
/// directly: a request that bypasses the gateway is held to the same rules.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ForgedTokenTests(PortalApp portal)
{
    private static readonly string[] Targets = ["gateway", "access", "tickets", "attachments", "notifications"];

    public static TheoryData<string> Forgeries() =>
        ["none", "no-token", "garbage", "foreign-key", "expired", "wrong-audience", "wrong-issuer", "tampered"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_token_gets_401_everywhere(string forgery)
    {
        var token = await ForgeAsync(forgery);
        foreach (var target in Targets)
        {
            using var client = target == "gateway" ? portal.Gateway() : portal.Service(target);
            foreach (var path in PathsOf(target))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (token is not null)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                    $"{forgery} on {target}{path}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task A_genuine_token_signed_with_the_stored_key_is_accepted_everywhere()
    {
        var token = await SignAsync(
            DefaultClaims(), audience: "portal-api", issuer: "http://access", expires: DateTime.UtcNow.AddMinutes(5));
        foreach (var target in Targets)
        {
            using var client = target == "gateway" ? portal.Gateway() : portal.Service(target);
            using var request = new HttpRequestMessage(
                HttpMethod.Get, target is "gateway" or "access" ? "/api/me" : $"/api/tickets/{Guid.NewGuid()}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.SendAsync(request);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static string[] PathsOf(string target) => target switch
    {
        "gateway" => ["/api/me", "/api/companies", $"/api/tickets/{Guid.NewGuid()}",
            $"/api/tickets/{Guid.NewGuid()}/access", $"/api/attachments/{Guid.NewGuid()}"],
        "access" => ["/api/me", "/api/companies", $"/api/tickets/{Guid.NewGuid()}/access"],
        "tickets" => [$"/api/tickets/{Guid.NewGuid()}", "/api/ticket-subjects"],
        "attachments" => [$"/api/attachments/{Guid.NewGuid()}"],
        _ => ["/api/notifications/preferences"],
    };

    private static Dictionary<string, object> DefaultClaims() => new()
    {
        ["sub"] = Guid.NewGuid().ToString(),
        ["email"] = Demo.Nadia,
        ["name"] = "Nadia BENALI",
        ["role"] = "staff",
    };

    private async Task<string?> ForgeAsync(string forgery)
    {
        var valid = DateTime.UtcNow.AddMinutes(5);
        switch (forgery)
        {
            case "no-token":
                return null;
            case "garbage":
                return "not.a.token";
            case "none":
                static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
                var exp = new DateTimeOffset(valid).ToUnixTimeSeconds();
                var header = Part("""{"alg":"none","typ":"JWT"}""");
                var claims = Part(JsonSerializer.Serialize(new
                {
                    sub = Guid.NewGuid(), role = "staff", iss = "http://access", aud = "portal-api", exp,
                }));
                return $"{header}.{claims}.";
            case "foreign-key":
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    var key = new ECDsaSecurityKey(ecdsa) { KeyId = (await StoredKeyAsync()).KeyId };
                    return Sign(key, DefaultClaims(), "portal-api", "http://access", valid);
                }
            case "expired":
                return await SignAsync(DefaultClaims(), "portal-api", "http://access", DateTime.UtcNow.AddMinutes(-10));
            case "wrong-audience":
                return await SignAsync(DefaultClaims(), "another-api", "http://access", valid);
            case "wrong-issuer":
                return await SignAsync(DefaultClaims(), "portal-api", "http://evil.example", valid);
            case "tampered":
                var genuine = await portal.TokenAsync(Demo.Camille);
                var parts = genuine.Split('.');
                var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
                    .Replace("\"member\"", "\"staff\"");
                return $"{parts[0]}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
            default:
                throw new ArgumentOutOfRangeException(nameof(forgery));
        }
    }

    private async Task<string> SignAsync(
        Dictionary<string, object> claims, string audience, string issuer, DateTime expires) =>
        Sign(await StoredKeyAsync(), claims, audience, issuer, expires);

    private static string Sign(
        SecurityKey key, Dictionary<string, object> claims, string audience, string issuer, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Audience = audience,
            Issuer = issuer,
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    /// <summary>Access's real signing key, read from its database: only the claims are forged.</summary>
    private async Task<ECDsaSecurityKey> StoredKeyAsync()
    {
        await portal.TokenAsync(Demo.Nadia);
        await using var connection = new NpgsqlConnection(await portal.ConnectionStringAsync("access-db"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select kid, private_key from signing_keys order by created_at desc limit 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(reader.GetString(1));
        return new ECDsaSecurityKey(ecdsa) { KeyId = reader.GetString(0) };
    }
}
