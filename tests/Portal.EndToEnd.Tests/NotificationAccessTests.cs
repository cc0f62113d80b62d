using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A person removed from a thread stops seeing its notifications: list, mark as read, stream and its replay.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class NotificationAccessTests(PortalApp portal, ITestOutputHelper output)
{
    [Fact]
    public async Task Notifications_of_a_thread_leave_with_the_access_to_it()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticketId = await Api.OpenThreadAsync(
            camille, "Julien suit cette demande, pour l'instant", "restricted", [await Api.UserIdAsync(julien)]);
        Assert.Equal(HttpStatusCode.Created, (await nadia.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
            new { body = "Nous revenons vers vous.", attachmentIds = Array.Empty<Guid>() })).StatusCode);
        var notificationId = await WaitForNotificationAsync(julien, ticketId);

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await camille.PutAsJsonAsync($"/api/tickets/{ticketId}/access",
            new { mode = "restricted", userIds = Array.Empty<Guid>() })).StatusCode);
        await Eventually.TrueAsync(async () => (await NotificationIdsAsync(julien, ticketId)).Count == 0,
            within: TimeSpan.FromSeconds(5));
        output.WriteLine($"gone from the list after {clock.ElapsedMilliseconds} ms");

        Assert.Equal(HttpStatusCode.NotFound,
            (await julien.PostAsync($"/api/notifications/{notificationId}/read", null)).StatusCode);
        // A stream replaying everything from the start sends the others and not this one, before its first badge.
        await using var stream = await LiveStream.OpenAsync(portal, Demo.Julien, lastEventId: "0");
        var replayed = await stream.EventsBeforeAsync("unread-count");
        Assert.DoesNotContain(replayed, e => e.EventType == "notification" && e.Data.Contains(ticketId.ToString()));
        // Camille, still on the list, keeps hers.
        await WaitForNotificationAsync(camille, ticketId);
    }

    private static async Task<Guid> WaitForNotificationAsync(
        HttpClient client, Guid ticketId, string? kind = "message_posted")
    {
        IReadOnlyList<Guid> ids = [];
        await Eventually.TrueAsync(
            async () => (ids = await NotificationIdsAsync(client, ticketId, kind)).Count > 0,
            within: TimeSpan.FromSeconds(10));
        return ids[0];
    }

    private static async Task<IReadOnlyList<Guid>> NotificationIdsAsync(
        HttpClient client, Guid ticketId, string? kind = null)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=100");
        return page.GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("ticketId").GetGuid() == ticketId
                && (kind is null || n.GetProperty("kind").GetString() == kind))
            .Select(n => n.GetProperty("id").GetGuid()).ToList();
    }
}
