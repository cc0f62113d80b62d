using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>Replies, read state and "action required", through the gateway, for both sides.</summary>
[Collection(PortalCollection.Name)]
public sealed class ConversationTests(PortalApp portal)
{
    [Fact]
    public async Task A_staff_message_requiring_a_reply_is_unread_and_awaits_the_member_until_they_read_and_answer()
    {
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var ticketId = await Api.OpenThreadAsync(
            sophie, "Nous souhaitons planifier les visites de reprise.", "restricted", subject: "rendez-vous");
        var sophieUnreadBefore = await UnreadCountAsync(sophie);

        // Staff see the member's new thread as unread and waiting for them.
        var forStaff = await thomas.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.True(forStaff.GetProperty("unread").GetBoolean());
        Assert.True(forStaff.GetProperty("actionRequired").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent,
            (await thomas.PostAsync($"/api/tickets/{ticketId}/read", null)).StatusCode);
        Assert.False((await thomas.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}"))
            .GetProperty("unread").GetBoolean());

        var reply = await thomas.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
            new
            {
                body = "Quelles dates vous conviendraient ?", attachmentIds = Array.Empty<Guid>(), requiresReply = true
            });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);

        var forMember = await sophie.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.True(forMember.GetProperty("unread").GetBoolean());
        Assert.True(forMember.GetProperty("actionRequired").GetBoolean());
        Assert.Equal(2, forMember.GetProperty("messages").GetArrayLength());
        Assert.Equal("staff",
            forMember.GetProperty("messages")[1].GetProperty("author").GetProperty("side").GetString());
        Assert.Equal(sophieUnreadBefore + 1, await UnreadCountAsync(sophie));
        Assert.False((await thomas.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}"))
            .GetProperty("actionRequired").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent,
            (await sophie.PostAsync($"/api/tickets/{ticketId}/read", null)).StatusCode);
        Assert.Equal(sophieUnreadBefore, await UnreadCountAsync(sophie));

        // A member may not ask for a reply; an outsider may not write; a blank body is refused.
        var asking = await sophie.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Merci", requiresReply = true });
        Assert.Equal(HttpStatusCode.Forbidden, asking.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await marc.PostAsJsonAsync($"/api/tickets/{ticketId}/messages", new { body = "Bonjour" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marc.PostAsync($"/api/tickets/{ticketId}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await sophie.PostAsJsonAsync($"/api/tickets/{ticketId}/messages", new { body = "  " })).StatusCode);

        var answer = await sophie.PostAsJsonAsync(
            $"/api/tickets/{ticketId}/messages", new { body = "Le mardi 8 décembre au matin." });
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var afterAnswer = await sophie.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.False(afterAnswer.GetProperty("actionRequired").GetBoolean());
        Assert.False(afterAnswer.GetProperty("unread").GetBoolean());
        Assert.True((await thomas.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}"))
            .GetProperty("actionRequired").GetBoolean());
    }

    [Fact]
    public async Task Each_list_row_previews_the_latest_message_so_that_threads_of_one_subject_can_be_told_apart()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticketId = await Api.OpenThreadAsync(camille, "Première question.");
        var answer = "Bonjour,\n\nvotre attestation de suivi est prête. " + string.Concat(Enumerable.Repeat("🩺 ", 80));
        (await nadia.PostAsJsonAsync($"/api/tickets/{ticketId}/messages", new { body = answer }))
            .EnsureSuccessStatusCode();

        foreach (var reader in new[] { camille, nadia })
        {
            var page = await reader.GetFromJsonAsync<JsonElement>("/api/tickets?limit=100");
            var row = page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == ticketId);
            var preview = row.GetProperty("preview").GetString()!;
            Assert.StartsWith("Bonjour, votre attestation de suivi est prête. 🩺", preview);
            Assert.InRange(preview.Length, 100, 140);
            Assert.EndsWith("…", preview);
            Assert.True(row.GetProperty("lastActivityAt").GetDateTimeOffset() >
                row.GetProperty("createdAt").GetDateTimeOffset());
            var thread = await reader.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
            Assert.Equal(preview, thread.GetProperty("preview").GetString());
        }
    }

    private static async Task<long> UnreadCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/tickets/unread-count")).GetProperty("count").GetInt64();
}
