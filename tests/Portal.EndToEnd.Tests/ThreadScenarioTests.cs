using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>The whole life of one thread, as the seed tells it, through the gateway.</summary>
[Collection(PortalCollection.Name)]
public sealed class ThreadScenarioTests(PortalApp portal)
{
    [Fact]
    public async Task A_restricted_thread_with_a_document_goes_from_opening_to_a_staff_closure()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);

        using var form = new MultipartFormDataContent();
        var pdf = new ByteArrayContent("%PDF-1.7\nliste des salariés"u8.ToArray());
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "file", "salariés.pdf");
        var upload = await camille.PostAsync("/api/attachments", form);
        var fileId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var ticketId = await Api.OpenThreadAsync(camille, "Voici la liste de nos salariés pour la visite.",
            "restricted", [await Api.UserIdAsync(julien)], "effectifs", [fileId]);

        var ask = await thomas.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
            new { body = "Pouvez-vous confirmer les postes à risque ?", requiresReply = true });
        Assert.Equal(HttpStatusCode.Created, ask.StatusCode);

        var seen = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.True(seen.GetProperty("unread").GetBoolean());
        Assert.True(seen.GetProperty("actionRequired").GetBoolean());
        Assert.Contains(ticketId, await IdsAsync(camille, "filter=action_required"));
        Assert.Equal(HttpStatusCode.NoContent,
            (await camille.PostAsync($"/api/tickets/{ticketId}/read", null)).StatusCode);
        Assert.DoesNotContain(ticketId, await IdsAsync(camille, "filter=unread"));

        Assert.Equal(HttpStatusCode.Created, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Oui : caristes et chauffeurs." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/close", new { reason = "resolved", message = "Merci !" })).StatusCode);
        Assert.Contains(ticketId, await IdsAsync(camille, "filter=archived"));
        Assert.Equal(HttpStatusCode.OK, (await camille.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await thomas.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/close", new { reason = "resolved", message = "Dossier complet." })).StatusCode);
        var final = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal("staff", final.GetProperty("closedBy").GetString());
        Assert.False(final.GetProperty("canReply").GetBoolean());
        Assert.False(final.GetProperty("canReopen").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await camille.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Encore ?" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await camille.PostAsync($"/api/tickets/{ticketId}/reopen", null)).StatusCode);

        // The document followed the thread's list: the listed colleague may download it.
        await Api.WaitForStatusAsync(julien, $"/api/attachments/{fileId}", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Staff_open_a_thread_towards_a_company_that_exists_only()
    {
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var unknown = await nadia.PostAsJsonAsync("/api/tickets", new
        {
            subjectCode = "convocation",
            body = "Convocation à la visite périodique.",
            companyId = Guid.NewGuid(),
            requiresReply = true,
            visibility = new { mode = "company", userIds = Array.Empty<Guid>() },
        });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("ticket.company_unknown",
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var created = await nadia.PostAsJsonAsync("/api/tickets", new
        {
            subjectCode = "convocation",
            body = "Convocation à la visite périodique.",
            companyId = await Api.CompanyIdAsync(marc),
            requiresReply = true,
            visibility = new { mode = "company", userIds = Array.Empty<Guid>() },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticketId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var forMarc = await marc.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.True(forMarc.GetProperty("actionRequired").GetBoolean());
        Assert.False(forMarc.GetProperty("canClose").GetBoolean());
    }

    private static async Task<Guid[]> IdsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets?{query}&limit=100")).GetProperty("items")
            .EnumerateArray()
            .Select(item => item.GetProperty("id").GetGuid()).ToArray();
}
