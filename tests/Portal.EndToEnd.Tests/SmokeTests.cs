using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public sealed class SmokeTests(PortalApp portal)
{
    [Fact]
    public async Task The_gateway_and_every_service_report_healthy()
    {
        using var gateway = portal.Gateway();
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync("/health")).StatusCode);
        foreach (var service in new[] { "access", "tickets", "attachments", "notifications" })
        {
            using var client = portal.Service(service);
            var response = await client.GetAsync("/health");
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{service}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task A_demo_user_signs_in_and_reads_their_profile_through_the_gateway()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);

        var me = await camille.GetFromJsonAsync<Me>("/api/me");

        Assert.Equal(Demo.Camille, me!.Email);
        Assert.Equal("Camille LEFEBVRE", me.DisplayName);
        Assert.Equal("member", me.Role);
        Assert.Equal("Boulangerie Martin", me.CompanyName);
    }

    [Fact]
    public async Task Notification_preferences_are_kept_in_the_notifications_database()
    {
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        Assert.True((await marc.GetFromJsonAsync<Preferences>("/api/notifications/preferences"))!.Email);
        try
        {
            var saved = await marc.PutAsJsonAsync("/api/notifications/preferences", new { email = false });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.False((await marc.GetFromJsonAsync<Preferences>("/api/notifications/preferences"))!.Email);
            Assert.Equal(HttpStatusCode.BadRequest,
                (await marc.PutAsJsonAsync("/api/notifications/preferences", new { })).StatusCode);
        }
        finally
        {
            // Other tests count on the default.
            await marc.PutAsJsonAsync("/api/notifications/preferences", new { email = true });
        }
    }

    [Fact]
    public async Task A_request_without_a_token_is_a_problem_document()
    {
        using var gateway = portal.Gateway();
        var response = await gateway.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private sealed record Preferences(bool Email);

    private sealed record Me(
        Guid Id,
        string Email,
        string DisplayName,
        string Role,
        Guid? CompanyId,
        string? CompanyName);
}
