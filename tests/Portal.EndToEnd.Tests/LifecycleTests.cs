using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public sealed class LifecycleTests(PortalApp portal)
{
    [Fact]
    public async Task A_member_closes_and_reopens_their_thread_and_a_staff_closure_is_final_for_them()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticketId = await Api.OpenThreadAsync(camille, "Question sur notre cotisation.", subject: "adhesion");
        var close = new { reason = "resolved", message = "Tout est réglé, merci." };

        Assert.Equal(HttpStatusCode.Forbidden,
            (await julien.PostAsJsonAsync($"/api/tickets/{ticketId}/close", close)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/close", new { reason = "bored", message = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict,
            (await camille.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);

        var closed = await camille.PostAsJsonAsync($"/api/tickets/{ticketId}/close", close);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var thread = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("closed", thread.GetProperty("status").GetString());
        Assert.Equal("member", thread.GetProperty("closedBy").GetString());
        Assert.Equal("resolved", thread.GetProperty("closure").GetProperty("reason").GetString());
        Assert.True(thread.GetProperty("canReopen").GetBoolean());
        Assert.False(thread.GetProperty("canReply").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict,
            (await camille.PostAsJsonAsync($"/api/tickets/{ticketId}/close", close)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Encore une chose" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await julien.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await camille.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Encore une chose" })).StatusCode);

        var byStaff = await nadia.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/close", new { reason = "other", message = "" });
        Assert.Equal(HttpStatusCode.OK, byStaff.StatusCode);
        var forCamille = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal("staff", forCamille.GetProperty("closedBy").GetString());
        Assert.False(forCamille.GetProperty("canReopen").GetBoolean());
        Assert.False(forCamille.GetProperty("canReply").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden,
            (await camille.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Et maintenant ?" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nadia.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);
    }
}
