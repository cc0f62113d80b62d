using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Nothing grows without bound: a thread's messages and an access history come a page at a time, a person's live
/// streams and uploads are capped.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class BoundedTests(PortalApp portal)
{
    private const int ThreadPageSize = 50; // TicketOptions.ThreadPageSize

    [Fact]
    public async Task A_long_thread_comes_newest_page_first_and_earlier_pages_by_cursor()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var ticketId = await Api.OpenThreadAsync(camille, "Message 0");
        for (var i = 1; i < 120; i++)
        {
            var posted = await nadia.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
                new { body = $"Message {i}", attachmentIds = Array.Empty<Guid>() });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await camille.GetFromJsonAsync<JsonElement>(
                $"/api/tickets/{ticketId}" + (cursor is null ? "" : $"?before={cursor}"));
            var bodies = page.GetProperty("messages").EnumerateArray()
                .Select(m => m.GetProperty("body").GetString()!)
                .ToList();
            Assert.InRange(bodies.Count, 1, ThreadPageSize);
            seen.InsertRange(0, bodies);
            cursor = page.GetProperty("earlierCursor").GetString();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        // Oldest first within each page, and together every message once, in order.
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"Message {i}"), seen);

        var first = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal("Message 119", first.GetProperty("messages")[ThreadPageSize - 1].GetProperty("body").GetString());
        Assert.Equal(HttpStatusCode.BadRequest,
            (await camille.GetAsync($"/api/tickets/{ticketId}?before=pas-un-curseur")).StatusCode);
        // A cursor opens nothing to someone who may not see the thread.
        Assert.Equal(HttpStatusCode.NotFound, (await marc.GetAsync(
            $"/api/tickets/{ticketId}?before={first.GetProperty("earlierCursor").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task An_access_history_comes_a_page_at_a_time_with_a_next_link()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var sophie = await Api.UserIdAsync(await portal.GatewayAsAsync(Demo.Sophie));
        var ticketId = await Api.OpenThreadAsync(camille, "Historique");
        for (var i = 0; i < 4; i++)
        {
            var mode = i % 2 == 0 ? "restricted" : "company";
            Assert.Equal(HttpStatusCode.OK, (await camille.PutAsJsonAsync($"/api/tickets/{ticketId}/access",
                new { mode, userIds = mode == "restricted" ? new[] { sophie } : [] })).StatusCode);
        }

        var entries = new List<JsonElement>();
        var next = $"/api/tickets/{ticketId}/access/history?limit=2";
        while (next is not null)
        {
            using var page = await camille.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var items = await page.Content.ReadFromJsonAsync<JsonElement[]>();
            Assert.InRange(items!.Length, 1, 2);
            entries.AddRange(items);
            next = page.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split(';')[0].Trim('<', '>', ' ')
                : null;
        }
        Assert.Equal(5, entries.Count); // the opening list and four changes
        Assert.True(entries[0].GetProperty("before").ValueKind == JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await camille.GetAsync($"/api/tickets/{ticketId}/access/history?limit=101")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await camille.GetAsync($"/api/tickets/{ticketId}/access/history?cursor=abc")).StatusCode);
    }

    [Fact]
    public async Task Opening_one_live_stream_too_many_closes_the_persons_oldest_with_a_reason()
    {
        const int maxStreams = 10; // NotificationOptions.MaxStreamsPerUser
        var streams = new List<LiveStream>();
        try
        {
            streams.Add(await LiveStream.OpenAsync(portal, Demo.Julien));
            await streams[0].NextAsync("unread-count");
            for (var i = 1; i < maxStreams; i++)
                streams.Add(await LiveStream.OpenAsync(portal, Demo.Julien));
            await Task.WhenAll(streams.Skip(1).Select(s => s.NextAsync("unread-count")));

            streams.Add(await LiveStream.OpenAsync(portal, Demo.Julien));
            var (closed, _) = await streams[0].NextAsync("closed");
            var reason = JsonDocument.Parse(closed.Data).RootElement;
            Assert.Equal("too_many_streams", reason.GetProperty("reason").GetString());
            Assert.StartsWith("Trop de connexions en direct", reason.GetProperty("message").GetString());
            await streams[0].EndAsync();
            // The others carry on: the newest hears what happens next.
            await streams[^1].NextAsync("unread-count");
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
        }
    }

    [Fact]
    public async Task Uploads_stop_at_the_persons_daily_quota_with_429_for_files_and_413_for_bytes()
    {
        var (files, bytes) = (await portal.NewMemberAsync(), await portal.NewMemberAsync());
        using var tired = await portal.GatewayAsAsync(files.Email);
        using var heavy = await portal.GatewayAsAsync(bytes.Email);
        // As if each had already uploaded much today: 999 files, and 2 GiB less 1 MiB (AttachmentOptions' defaults:
        // 1,000 and 2 GiB).
        await UsedTodayAsync(files.Id, 999, 0);
        await UsedTodayAsync(bytes.Id, 1, 2L * 1024 * 1024 * 1024 - 1024 * 1024);

        Assert.Equal(HttpStatusCode.Created, (await Api.UploadAsync(tired, Pdf(1000), "dernier.pdf")).StatusCode);
        var refused = await Api.UploadAsync(tired, Pdf(1000), "de-trop.pdf");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("attachment.daily_files_exceeded",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        var tooMuch = await Api.UploadAsync(heavy, Pdf(2 * 1024 * 1024), "gros.pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMuch.StatusCode);
        var problem = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("attachment.daily_bytes_exceeded", problem.GetProperty("code").GetString());
        Assert.Contains("réessayez demain", problem.GetProperty("detail").GetString());
        // What fits still goes, and a refused upload took nothing from the quota.
        Assert.Equal(HttpStatusCode.Created, (await Api.UploadAsync(heavy, Pdf(512 * 1024), "petit.pdf")).StatusCode);
    }

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// A member of Camille's company who exists for this test alone (same password), so that using up their quota
    /// hinders nobody.
    /// </summary>

    private async Task UsedTodayAsync(Guid ownerId, int files, long bytes)
    {
        await using var attachments = new NpgsqlConnection(await portal.ConnectionStringAsync("attachments-db"));
        await attachments.ExecuteAsync(
            "insert into upload_usage (owner_id, day, files, bytes) "
                + "values (@ownerId, (now() at time zone 'Europe/Paris')::date, @files, @bytes)",
            new { ownerId, files, bytes });
    }
}
