using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every Portal process validates bearer tokens itself (issuer, audience, lifetime, signature
/// against the keys of the discovery document), so a request reaching a service directly is held
/// to the same rules as one through the gateway. Any OpenID provider fits by configuration
/// (<c>Auth:Authority</c>, <c>Auth:Audience</c>, <c>Auth:ClaimNames</c>); by default it is the Access service.
/// Every endpoint needs an authenticated user unless it says otherwise.
/// </summary>
public static class AuthenticationExtensions
{
    public const string DefaultAuthority = "http://access";
    public const string DefaultAudience = "portal-api";

    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, IHttpClientFactory>((options, configuration, httpClients) =>
            {
                var section = configuration.GetSection("Auth");
                options.Authority = section["Authority"] ?? DefaultAuthority;
                options.Audience = section["Audience"] ?? DefaultAudience;
                options.RequireHttpsMetadata = section.GetValue("RequireHttpsMetadata", false);
                options.MapInboundClaims = false;
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
            });
        builder.Services.AddTransient<Microsoft.AspNetCore.Authentication.IClaimsTransformation, ClaimNamesTransformation>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}
