using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The read trail (« Consultations »): every opening of a thread and every download of its files, recorded by the
/// service that served it; staff read all of it (also as CSV), a member their own company's lines, nobody edits it.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ReadTrailTests(PortalApp portal)
{
    [Fact]
    public async Task Openings_and_downloads_are_in_the_trail_staff_see_all_of_it_and_a_member_their_company()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var bytes = new byte[4000];
        "%PDF-1.7\n"u8.CopyTo(bytes);
        var file = (await (await Api.UploadAsync(camille, bytes, "bulletin.pdf")).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var ticket = await Api.OpenThreadAsync(camille, "Le bulletin est joint.", attachmentIds: [file]);
        var julienId = await Api.UserIdAsync(julien);
        var nadiaId = await Api.UserIdAsync(nadia);

        (await julien.GetAsync($"/api/tickets/{ticket}")).EnsureSuccessStatusCode();
        (await nadia.GetAsync($"/api/tickets/{ticket}")).EnsureSuccessStatusCode();
        await Api.WaitForStatusAsync(julien, $"/api/attachments/{file}", HttpStatusCode.OK);
        // Paging back through a thread is no new opening.
        Assert.Equal(HttpStatusCode.BadRequest, (await julien.GetAsync($"/api/tickets/{ticket}?before=x")).StatusCode);

        var all = await TrailAsync(nadia, ticket);
        Assert.Contains(all, l => l.User == julienId && l.What == "thread" && l.Side == "member");
        Assert.Contains(all, l => l.User == nadiaId && l.What == "thread" && l.Side == "staff");
        Assert.Contains(all, l => l.User == julienId && l.What == "attachment" && l.AttachmentId == file);
        Assert.Equal(all.OrderByDescending(l => l.At).Select(l => l.At), all.Select(l => l.At));

        var forJulien = await TrailAsync(julien, ticket);
        Assert.NotEmpty(forJulien);
        Assert.All(forJulien, l => Assert.Equal("member", l.Side));
        Assert.DoesNotContain(forJulien, l => l.User == nadiaId);
        Assert.Equal(HttpStatusCode.NotFound, (await marc.GetAsync($"/api/tickets/{ticket}/reads")).StatusCode);

        var csv = await nadia.GetAsync($"/api/tickets/{ticket}/reads?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n",
            StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("at,user_id,display_name,side,what,attachment_id", lines[0]);
        Assert.Contains(lines, l => l.Contains($"{nadiaId},Nadia BENALI,staff,thread,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith($",Julien MARTIN,member,attachment,{file}", StringComparison.Ordinal));

        // Nothing edits the trail through the API.
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            var refused = await nadia.SendAsync(new HttpRequestMessage(method, $"/api/tickets/{ticket}/reads")
            {
                Content = JsonContent.Create(Array.Empty<object>()),
            });
            Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);
        }
        Assert.Equal(all.Count, (await TrailAsync(nadia, ticket)).Count);
    }

    private sealed record Line(Guid User, string Side, string What, Guid? AttachmentId, DateTimeOffset At);

    private static async Task<IReadOnlyList<Line>> TrailAsync(HttpClient client, Guid ticket) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}/reads")).EnumerateArray()
            .Select(l => new Line(l.GetProperty("user").GetProperty("id").GetGuid(),
                l.GetProperty("user").GetProperty("side").GetString()!, l.GetProperty("what").GetString()!,
                l.GetProperty("attachmentId").ValueKind == JsonValueKind.Null
                    ? null : l.GetProperty("attachmentId").GetGuid(),
                l.GetProperty("at").GetDateTimeOffset()))
            .ToList();
}
