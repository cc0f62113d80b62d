using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Contracts;
using Portal.Access.Data;
using Portal.Access.Model;
using Portal.Access.Tokens;

namespace Portal.Access.Apis;

/// <param name="DeviceToken">The one a previous successful sign-in gave this browser, if any.</param>
public sealed record TokenRequest(string? Email, string? Password, string? DeviceToken = null);

/// <param name="DeviceToken">Keep it (a long-lived cookie) and send it back with the next sign-in.</param>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string DeviceToken);

public sealed record MeResponse(
    Guid Id,
    string Email,
    string DisplayName,
    string Role,
    Guid? CompanyId,
    string? CompanyName);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueTokenAsync).AllowAnonymous();
        app.MapPost("/api/auth/revoke", RevokeAsync);
        app.MapGet("/api/me", GetMeAsync);

        // Service to service only (the gateway routes nothing under /internal).
        app.MapPost(ServiceIdentity.TokenPath, IssueServiceTokenAsync).AllowAnonymous();
        app.MapGet(AccessRevocationSource.Path, GetRevocationsAsync).RequireService();
        app.MapGet("/.well-known/openid-configuration", GetDiscoveryDocument).AllowAnonymous();
        app.MapGet("/.well-known/jwks.json", GetKeysAsync).AllowAnonymous();
        return app;
    }

    // Compared against when the e-mail is unknown, so that both failures take the same time.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<DirectoryUser>().HashPassword(
            new DirectoryUser(Guid.Empty, "", "", "", null, null), Guid.NewGuid().ToString()));

    /// <summary>
    /// Every attempt is paid for before the password is looked at: from the account's and the client
    /// address's budgets, or, for a browser that brings a valid device token of that account, from
    /// that device's own. A success gives it back. An empty budget answers 429 with its wait.
    /// </summary>
    public static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueTokenAsync(
        TokenRequest request, HttpContext context, DirectoryStore directory, SignInBudgets budgets,
        IPasswordHasher<DirectoryUser> hasher, TokenIssuer issuer, IOptions<AccessTokenOptions> options,
        IOptions<SignInBudgetOptions> signIn, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            return Problems.Validation(
                "auth.credentials_missing", "email", "L'adresse e-mail et le mot de passe sont obligatoires.");

        var email = request.Email.Trim();
        var credentials = await directory.FindCredentialsAsync(email, ct);
        var device = credentials is null
            ? null
            : await issuer.ReadDeviceAsync(request.DeviceToken, credentials.User.Id, ct);
        // The gateway says, in X-Forwarded-For (read by the forwarded-headers middleware), whom it believes the client
        // is.
        BudgetKey[] keys = device is not null
            ? [new("device:" + device, signIn.Value.Device)]
            : [new("account:" + email.ToLowerInvariant(), signIn.Value.Account),
               new("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), signIn.Value.Address)];
        if (await budgets.TryTakeAsync(keys, ct) is { } wait)
        {
            Telemetry.SignIn("throttled");
            context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "auth.throttled",
                $"Trop de tentatives de connexion pour ce compte ou depuis cette adresse : "
                    + $"réessayez dans {minutes} minute{(minutes > 1 ? "s" : "")}.");
        }

        if (credentials is null)
        {
            hasher.VerifyHashedPassword(
                new DirectoryUser(Guid.Empty, "", "", "", null, null), DecoyHash.Value, request.Password);
            Telemetry.SignIn("failed");
            return InvalidCredentials();
        }
        // A deactivated person gets the same answer as a wrong password, after the same work.
        var verified = hasher.VerifyHashedPassword(credentials.User, credentials.PasswordHash, request.Password)
            != PasswordVerificationResult.Failed;
        if (!verified || !credentials.User.Active)
        {
            Telemetry.SignIn("failed");
            return InvalidCredentials();
        }

        await budgets.GiveBackAsync(keys, ct);
        var token = await issuer.IssueAsync(credentials.User, ct);
        var deviceToken = await issuer.IssueDeviceAsync(credentials.User, ct);
        Telemetry.SignIn("succeeded");
        return TypedResults.Ok(
            new TokenResponse(token, "Bearer", (int)options.Value.Lifetime.TotalSeconds, deviceToken));
    }

    /// <summary>
    /// Ends the presented token everywhere: every process refuses it within moments (<see cref="TokensRevoked"/>).
    /// </summary>
    public static async Task<NoContent> RevokeAsync(
        ClaimsPrincipal user, RevocationStore revocations, CancellationToken ct)
    {
        var tokenId = Guid.Parse(
            user.FindFirstValue(JwtRegisteredClaimNames.Jti) ?? throw new InvalidOperationException("No jti claim."));
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(
            long.Parse(user.FindFirstValue(JwtRegisteredClaimNames.Exp) ?? "0", CultureInfo.InvariantCulture));
        await revocations.RevokeTokenAsync(user.UserId(), tokenId, expiresAt, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ServiceTokenResponse>, ProblemHttpResult>> IssueServiceTokenAsync(
        ServiceTokenRequest request, ServiceClients clients, TokenIssuer issuer, IOptions<AccessTokenOptions> options,
        CancellationToken ct)
    {
        if (!clients.Verify(request.ClientId, request.ClientSecret) || !clients.IsService(request.Audience))
            return Problems.Of(
                StatusCodes.Status401Unauthorized, "auth.invalid_client", "Service inconnu ou secret incorrect.");
        var token = await issuer.IssueServiceAsync(request.ClientId!, request.Audience!, ct);
        return TypedResults.Ok(
            new ServiceTokenResponse(token, "Bearer", (int)options.Value.ServiceTokenLifetime.TotalSeconds));
    }

    public static async Task<Ok<IReadOnlyList<Revocation>>> GetRevocationsAsync(
        RevocationStore revocations, CancellationToken ct) =>
        TypedResults.Ok(await revocations.ReadAsync(ct));

    // The same answer for an unknown e-mail, a wrong password and a deactivated account.
    private static ProblemHttpResult InvalidCredentials() =>
        Problems.Of(
            StatusCodes.Status401Unauthorized, "auth.invalid_credentials", "Adresse e-mail ou mot de passe incorrect.");

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(
        ClaimsPrincipal user, DirectoryStore directory, CancellationToken ct)
    {
        var me = await directory.FindUserAsync(user.UserId(), ct);
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
            ["claims_supported"] = new[]
            {
                PortalClaims.Subject, PortalClaims.Email, PortalClaims.Name, PortalClaims.Role, PortalClaims.CompanyId
            },
        });
    }

    public static async Task<IResult> GetKeysAsync(SigningKeyStore keys, CancellationToken ct)
    {
        var published = (await keys.KeysAsync(ct)).Select(key =>
        {
            // Public parameters only.
            var publicKey = new ECDsaSecurityKey(
                System.Security.Cryptography.ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId };
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
