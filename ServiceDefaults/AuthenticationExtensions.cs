using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Portal.ServiceDefaults;

/// <summary>
/// Every Portal process validates bearer tokens itself (issuer, audience, lifetime, signature
/// against the keys of the discovery document, and the deny-list of revoked tokens), so a request
/// reaching a service directly is held to the same rules as one through the gateway. Any OpenID
/// provider fits by configuration (<c>Auth:Authority</c>, <c>Auth:Audience</c>, <c>Auth:ClaimNames</c>);
/// by default it is the Access service. Every endpoint needs an authenticated person unless it says
/// otherwise; internal endpoints take a service's token instead (<see cref="ServiceIdentity"/>).
/// </summary>
public static class AuthenticationExtensions
{
    public const string DefaultAuthority = "http://access";
    public const string DefaultAudience = "portal-api";
    private const string SchemeByPath = "by-path";
    private static readonly TimeSpan RevocationListWait = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        // Each request is validated by the one scheme that may accept it: internal endpoints take only service
        // tokens, the others only persons'. Validating a token against the other scheme's audience costs an exception.
        builder.Services.AddAuthentication(SchemeByPath)
            .AddPolicyScheme(SchemeByPath, null, options => options.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/internal")
                    ? ServiceIdentity.Scheme
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddJwtBearer(ServiceIdentity.Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, IHttpClientFactory>((options, configuration, httpClients) =>
            {
                Configure(options, configuration, httpClients, configuration["Auth:Audience"] ?? DefaultAudience);
                options.Events = new JwtBearerEvents { OnTokenValidated = RejectRevokedAsync };
            });
        builder.Services.AddOptions<JwtBearerOptions>(ServiceIdentity.Scheme)
            .Configure<IConfiguration, IHttpClientFactory>((options, configuration, httpClients) =>
                // A service token names this service as its audience: a person's token (audience portal-api) never
                // fits.
                Configure(options, configuration, httpClients, ServiceIdentity.NameOf(configuration) ?? "none"));
        builder.Services.AddRevocationList();
        builder.Services
            .AddSingleton<Microsoft.AspNetCore.Authentication.IClaimsTransformation, ClaimNamesTransformation>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .Build());
        return builder;
    }

    private static void Configure(
        JwtBearerOptions options, IConfiguration configuration, IHttpClientFactory httpClients, string audience)
    {
        var section = configuration.GetSection("Auth");
        options.Authority = section["Authority"] ?? DefaultAuthority;
        options.Audience = audience;
        options.RequireHttpsMetadata = section.GetValue("RequireHttpsMetadata", false);
        options.MapInboundClaims = false;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new RememberingTokenHandler { MapInboundClaims = false });
        // Through service discovery and the standard resilience handler, like every client.
        options.Backchannel = httpClients.CreateClient("oidc");
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = PortalClaims.Name,
            RoleClaimType = PortalClaims.Role,
        };
    }

    private static async Task RejectRevokedAsync(TokenValidatedContext context)
    {
        var revocations = context.HttpContext.RequestServices.GetRequiredService<RevocationList>();
        if (!revocations.Loaded.IsCompleted)
            await revocations.Loaded.WaitAsync(RevocationListWait, context.HttpContext.RequestAborted)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!revocations.Loaded.IsCompleted)
        {
            context.Fail("The list of revoked tokens is not known yet.");
            return;
        }
        if (context.Principal is null || revocations.IsRevoked(context.Principal))
            context.Fail("The token was revoked.");
    }
}
