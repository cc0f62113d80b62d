using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Internal notes, through the gateway: staff read them on the thread, and no member ever does, by any path (the
/// thread, the list and its preview, search, notifications, the live stream, e-mail).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class InternalNoteTests(PortalApp portal)
{
    [Fact]
    public async Task Staff_write_internal_notes_that_no_member_reads_by_any_path()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);
        var ticket = await Api.OpenThreadAsync(camille, "Nous souhaitons une visite de reprise.");
        await using var stream = await LiveStream.OpenAsync(portal, Demo.Julien);
        await stream.NextAsync("unread-count");
        var before = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");

        // A word found nowhere else, so that finding it anywhere a member looks is the note leaking.
        var secret = "zorglub" + Guid.NewGuid().ToString("N")[..8];
        var first = await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/notes",
            new { body = $"Dossier sensible, voir le médecin : {secret}." });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var note = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(await Api.UserIdAsync(nadia), note.GetProperty("author").GetProperty("id").GetGuid());
        Assert.Equal("Nadia BENALI", note.GetProperty("author").GetProperty("displayName").GetString());
        (await thomas.PostAsJsonAsync($"/api/tickets/{ticket}/notes", new { body = "Vu, je rappelle demain." }))
            .EnsureSuccessStatusCode();

        var forStaff = await thomas.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");
        var notes = forStaff.GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(2, notes.Count);
        Assert.Contains(secret, notes[0].GetProperty("body").GetString());
        Assert.Equal("Thomas ROUX", notes[1].GetProperty("author").GetProperty("displayName").GetString());

        // A note is no activity a member could see.
        var after = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");
        Assert.Equal(before.GetProperty("lastActivityAt").GetDateTimeOffset(),
            after.GetProperty("lastActivityAt").GetDateTimeOffset());
        Assert.Equal(before.GetProperty("preview").GetString(), after.GetProperty("preview").GetString());

        // A witness: the service then writes; the member's stream hears it, and nothing before it.
        (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/messages", new { body = "Nous revenons vers vous." }))
            .EnsureSuccessStatusCode();
        var heard = (await stream.EventsBeforeAsync("notification")).Select(e => e.Data).ToList();
        Assert.DoesNotContain(heard, data => data.Contains(secret, StringComparison.Ordinal));
        await Mailbox.WaitForEmailAsync(portal, Demo.Camille, ticket);

        foreach (var member in new[] { camille, julien })
        {
            var thread = await member.GetStringAsync($"/api/tickets/{ticket}");
            Assert.DoesNotContain(secret, thread, StringComparison.Ordinal);
            Assert.False(JsonDocument.Parse(thread).RootElement.TryGetProperty("notes", out _));
            Assert.DoesNotContain(secret, await member.GetStringAsync("/api/tickets?limit=100"),
                StringComparison.Ordinal);
            var found = await member.GetFromJsonAsync<JsonElement>($"/api/tickets?q={secret}");
            Assert.Equal(0, found.GetProperty("items").GetArrayLength());
            Assert.DoesNotContain(secret, await member.GetStringAsync("/api/notifications?limit=100"),
                StringComparison.Ordinal);
            // Refused to members, whether or not the thread is theirs or exists.
            foreach (var id in new[] { ticket, Guid.NewGuid() })
            {
                var refused = await member.PostAsJsonAsync($"/api/tickets/{id}/notes", new { body = "Bonjour" });
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                Assert.Equal("note.staff_only",
                    (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            }
        }
        Assert.DoesNotContain(await Mailbox.AllAsync(portal),
            mail => mail.GetRawText().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_note_needs_words_and_a_thread()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticket = await Api.OpenThreadAsync(camille, "Une question.");

        var blank = await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/notes", new { body = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal("note.body_required",
            (await blank.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/notes", new { body = new string('a', 10_001) }))
            .StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await nadia.PostAsJsonAsync($"/api/tickets/{Guid.NewGuid()}/notes", new { body = "Bonjour" }))
            .StatusCode);
        Assert.Empty((await nadia.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}"))
            .GetProperty("notes").EnumerateArray());
    }
}
