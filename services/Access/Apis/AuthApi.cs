using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Access.Tokens;

namespace Portal.Access.Apis;

public sealed record TokenRequest(string? Email, string? Password);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed record MeResponse(Guid Id, string Email, string DisplayName, string Role, Guid? CompanyId, string? CompanyName);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous();
        app.MapGet("/api/me", GetMeAsync);
        app.MapGet("/.well-known/openid-configuration", GetDiscoveryDocument).AllowAnonymous();
        app.MapGet("/.well-known/jwks.json", GetKeysAsync).AllowAnonymous();
        return app;
    }

    // Compared against when the e-mail is unknown, so that both failures take the same time.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<DirectoryUser>().HashPassword(new DirectoryUser(Guid.Empty, "", "", "", null, null), Guid.NewGuid().ToString()));

    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueTokenAsync(
        TokenRequest request, DirectoryStore directory, IPasswordHasher<DirectoryUser> hasher, TokenIssuer issuer,
        IOptions<AccessTokenOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            return Problems.Validation("auth.credentials_missing", "email", "L'adresse e-mail et le mot de passe sont obligatoires.");

        var credentials = await directory.FindCredentialsAsync(request.Email.Trim());
        if (credentials is null)
        {
            hasher.VerifyHashedPassword(new DirectoryUser(Guid.Empty, "", "", "", null, null), DecoyHash.Value, request.Password);
            return InvalidCredentials();
        }

        var locked = credentials.LockedUntil is { } until && until > clock.GetUtcNow().UtcDateTime;
        var verified = hasher.VerifyHashedPassword(credentials.User, credentials.PasswordHash, request.Password) != PasswordVerificationResult.Failed;
        if (locked || !verified)
        {
            if (!locked)
                await directory.RecordFailedSignInAsync(credentials.User.Id, options.Value.LockoutThreshold, options.Value.LockoutDuration);
            return InvalidCredentials();
        }

        await directory.RecordSignInAsync(credentials.User.Id);
        var token = await issuer.IssueAsync(credentials.User, ct);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)options.Value.Lifetime.TotalSeconds));
    }

    // The same answer for an unknown e-mail, a wrong password and a locked account.
    private static ProblemHttpResult InvalidCredentials() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "auth.invalid_credentials", "Adresse e-mail ou mot de passe incorrect.");

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(ClaimsPrincipal user, DirectoryStore directory)
    {
        var me = await directory.FindUserAsync(user.UserId());
        return me is null
            ? Problems.NotFound("user")
            : TypedResults.Ok(new MeResponse(me.Id, me.Email, me.DisplayName, me.Role, me.CompanyId, me.CompanyName));
    }

    public static IResult GetDiscoveryDocument(HttpRequest request, IOptions<AccessTokenOptions> options)
    {
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["issuer"] = options.Value.Issuer,
            ["jwks_uri"] = $"{baseUrl}/.well-known/jwks.json",
            ["token_endpoint"] = $"{baseUrl}/api/auth/token",
            ["response_types_supported"] = new[] { "token" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.EcdsaSha256 },
            ["claims_supported"] = new[] { PortalClaims.Subject, PortalClaims.Email, PortalClaims.Name, PortalClaims.Role, PortalClaims.CompanyId },
        });
    }

    public static async Task<IResult> GetKeysAsync(SigningKeyStore keys, CancellationToken ct)
    {
        var published = (await keys.KeysAsync(ct)).Select(key =>
        {
            // Public parameters only.
            var publicKey = new ECDsaSecurityKey(System.Security.Cryptography.ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId };
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(publicKey);
            return new Dictionary<string, string>
            {
                ["kty"] = jwk.Kty, ["use"] = "sig", ["alg"] = SecurityAlgorithms.EcdsaSha256,
                ["kid"] = jwk.Kid, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y,
            };
        });
        return TypedResults.Json(new { keys = published });
    }
}
