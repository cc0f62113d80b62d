using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Portal.ServiceDefaults;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>Another identity provider's claims are read as Portal's own, by configuration alone.</summary>
public sealed class ClaimNamesTransformationTests
{
    [Fact]
    public async Task The_configured_claims_are_copied_to_Portals_names_once()
    {
        var transformation = new ClaimNamesTransformation(Configuration(new()
        {
            ["Auth:ClaimNames:Subject"] = "oid",
            ["Auth:ClaimNames:Role"] = "roles",
            ["Auth:ClaimNames:Email"] = PortalClaims.Email,
        }));
        var principal = Principal(("oid", "user-1"), ("roles", "staff"), (PortalClaims.Email, "n@example.org"));

        await transformation.TransformAsync(principal);
        // Transformed again, as each authentication of the request does: nothing is added twice.
        await transformation.TransformAsync(principal);

        Assert.Equal(["user-1"], principal.FindAll(PortalClaims.Subject).Select(c => c.Value));
        Assert.Equal(["staff"], principal.FindAll(PortalClaims.Role).Select(c => c.Value));
        Assert.Single(principal.FindAll(PortalClaims.Email));
    }

    [Fact]
    public async Task Without_configuration_a_principal_is_left_as_it_came()
    {
        var principal = Principal(("oid", "user-1"), ("roles", "staff"));

        await new ClaimNamesTransformation(Configuration(new())).TransformAsync(principal);

        Assert.Equal(["oid", "roles"], principal.Claims.Select(c => c.Type));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));
}
