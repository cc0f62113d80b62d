using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>The directory and access-list rules, tried as an attacker would, through the gateway.</summary>
[Collection(PortalCollection.Name)]
public sealed class DirectoryAndAccessListTests(PortalApp portal)
{
    [Fact]
    public async Task Members_see_only_their_own_company_and_staff_see_every_company()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var boulangerie = await Api.CompanyIdAsync(camille);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var transports = await Api.CompanyIdAsync(marc);

        Assert.Equal(HttpStatusCode.Forbidden, (await camille.GetAsync("/api/companies")).StatusCode);
        var companies = await nadia.GetFromJsonAsync<JsonElement>("/api/companies");
        Assert.Equal(new[] { "Boulangerie Martin", "Transports Dubois" },
            companies.EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray());

        var colleagues = await camille.GetFromJsonAsync<JsonElement>($"/api/companies/{boulangerie}/users");
        Assert.Equal(3, colleagues.EnumerateArray()
            .Count(u => u.GetProperty("displayName").GetString() != PortalApp.TestMemberName));
        Assert.Equal(HttpStatusCode.NotFound,
            (await camille.GetAsync($"/api/companies/{transports}/users")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await camille.GetAsync($"/api/companies/{Guid.NewGuid()}/users")).StatusCode);
        Assert.Equal(2,
            (await nadia.GetFromJsonAsync<JsonElement>($"/api/companies/{transports}/users")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound,
            (await nadia.GetAsync($"/api/companies/{Guid.NewGuid()}/users")).StatusCode);
    }

    [Fact]
    public async Task Only_those_who_see_a_thread_may_change_its_list_and_only_to_users_of_its_company()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var camilleId = await Api.UserIdAsync(camille);
        var sophieId = await Api.UserIdAsync(sophie);
        var marcId = await Api.UserIdAsync(marc);
        var ticketId = await Api.OpenThreadAsync(
            camille, "Question sur la dernière facture.", "restricted", subject: "facturation");

        // Outsiders learn nothing and change nothing.
        foreach (var outsider in new[] { sophie, marc })
        {
            var attempt = await outsider.PutAsJsonAsync(
                $"/api/tickets/{ticketId}/access", new { mode = "company", userIds = Array.Empty<Guid>() });
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        }
        var unknown = await camille.PutAsJsonAsync(
            $"/api/tickets/{Guid.NewGuid()}/access", new { mode = "company", userIds = Array.Empty<Guid>() });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A user of another company cannot be listed; an unknown mode is refused.
        var foreign = await camille.PutAsJsonAsync(
            $"/api/tickets/{ticketId}/access", new { mode = "restricted", userIds = new[] { marcId } });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal("access.user_not_in_company",
            (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await camille.PutAsJsonAsync(
            $"/api/tickets/{ticketId}/access", new { mode = "public", userIds = Array.Empty<Guid>() })).StatusCode);

        // Staff may change it; the creator stays whatever is sent.
        var byStaff = await nadia.PutAsJsonAsync(
            $"/api/tickets/{ticketId}/access", new { mode = "restricted", userIds = new[] { sophieId } });
        Assert.Equal(HttpStatusCode.OK, byStaff.StatusCode);
        var list = await byStaff.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(camilleId, list.GetProperty("creatorId").GetGuid());
        Assert.Equal([camilleId, sophieId],
            list.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("id").GetGuid()).ToArray());

        // Company mode: every user of the company, Marc's company excluded.
        var company = await camille.PutAsJsonAsync(
            $"/api/tickets/{ticketId}/access", new { mode = "company", userIds = Array.Empty<Guid>() });
        Assert.Equal(3, (await company.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("users").EnumerateArray()
            .Count(u => u.GetProperty("displayName").GetString() != PortalApp.TestMemberName));
        Assert.Equal(HttpStatusCode.NotFound, (await marc.GetAsync($"/api/tickets/{ticketId}/access")).StatusCode);

        var history = await nadia.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/access/history");
        Assert.Equal(3, history.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("before").ValueKind);
        Assert.Equal(await Api.UserIdAsync(nadia), history[1].GetProperty("by").GetGuid());
    }

    [Fact]
    public async Task A_member_cannot_open_a_thread_for_a_user_of_another_company()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var response = await camille.PostAsJsonAsync("/api/tickets", new
        {
            subjectCode = "autre",
            body = "Bonjour",
            attachmentIds = Array.Empty<Guid>(),
            visibility = new { mode = "restricted", userIds = new[] { await Api.UserIdAsync(marc) } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_discovery_documents_are_served_through_the_gateway()
    {
        using var gateway = portal.Gateway();
        var discovery = await gateway.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal("http://access", discovery.GetProperty("issuer").GetString());
        Assert.EndsWith("/.well-known/jwks.json", discovery.GetProperty("jwks_uri").GetString());
        var keys = await gateway.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var key = keys.GetProperty("keys")[0];
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private key must not be published");
    }
}
