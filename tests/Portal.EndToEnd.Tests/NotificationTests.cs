using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Portal.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>Who is told what, in-app, live through the gateway (two Notifications instances), and by e-mail.</summary>
[Collection(PortalCollection.Name)]
public sealed class NotificationTests(PortalApp portal, ITestOutputHelper output)
{
    [Fact]
    public async Task Staff_hear_of_members_and_members_who_may_see_the_thread_hear_of_staff_never_the_author()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);
        var ticket = await Api.OpenThreadAsync(
            camille, "Liste des salariés à jour", "restricted", [await Api.UserIdAsync(julien)]);

        await WaitForNotificationAsync(nadia, ticket, "ticket_opened");
        await WaitForNotificationAsync(thomas, ticket, "ticket_opened");
        foreach (var member in new[] { camille, julien, sophie })
            Assert.Empty(await NotificationsAsync(member, ticket));

        (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/messages",
            new { body = "Bien reçu.", requiresReply = true })).EnsureSuccessStatusCode();
        await WaitForNotificationAsync(camille, ticket, "message_posted");
        await WaitForNotificationAsync(julien, ticket, "message_posted");
        Assert.Empty(await NotificationsAsync(sophie, ticket)); // left off the restricted list
        Assert.DoesNotContain(await NotificationsAsync(nadia, ticket), n => n.Kind == "message_posted"); // the author
        Assert.DoesNotContain(await NotificationsAsync(thomas, ticket),
            n => n.Kind == "message_posted"); // staff are told of members only

        (await julien.PostAsJsonAsync($"/api/tickets/{ticket}/messages",
            new { body = "Voici la liste." })).EnsureSuccessStatusCode();
        await WaitForNotificationAsync(nadia, ticket, "message_posted");
        await WaitForNotificationAsync(thomas, ticket, "message_posted");
        Assert.Single(await NotificationsAsync(camille, ticket),
            n => n.Kind == "message_posted"); // members are not told of members

        // Read one's own notification; anyone else's is a 404.
        var mine = (await NotificationsAsync(camille, ticket)).Single();
        Assert.Equal(HttpStatusCode.NotFound,
            (await julien.PostAsync($"/api/notifications/{mine.Id}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await camille.PostAsync($"/api/notifications/{mine.Id}/read", null)).StatusCode);
        var unread = await camille.GetFromJsonAsync<JsonElement>("/api/notifications?unreadOnly=true&limit=100");
        Assert.DoesNotContain(unread.GetProperty("items").EnumerateArray(),
            n => n.GetProperty("id").GetGuid() == mine.Id);
    }

    [Fact]
    public async Task
        The_stream_through_the_gateway_delivers_within_a_second_on_both_instances_and_replays_what_was_missed()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticket = await Api.OpenThreadAsync(camille, "Question sur une visite");

        var streams = new List<LiveStream>();
        try
        {
            // The gateway's connections are spread over both instances (DCP picks one per connection); the
            // message is handled by one. Up to 9 streams, under the 10 a person may hold with the one opened below.
            while (streams.Count < 6 || (streams.Count < 9 && streams.Select(s => s.Instance).Distinct().Count() < 2))
                streams.Add(await LiveStream.OpenAsync(portal, Demo.Camille));
            foreach (var stream in streams)
                await stream.NextAsync("unread-count");
            Assert.True(streams.Select(s => s.Instance).Distinct().Count() >= 2,
                "every stream was held by one instance");

            var sent = Stopwatch.GetTimestamp();
            (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/messages",
                new { body = "Nous revenons vers vous." })).EnsureSuccessStatusCode();
            foreach (var stream in streams)
            {
                // The notification and the badge that counts it, in either order: the badge may move as soon as the
                // message is stored, before its notification is written.
                (SseItem<string> Item, long ReceivedAt)? notified = null;
                long? badge = null;
                while (notified is null || badge is null)
                {
                    var next = await stream.NextAsync(type => type is "notification" or "unread-count");
                    if (next.Item.EventType == "notification")
                        notified = next;
                    else
                        badge = JsonSerializer.Deserialize<JsonElement>(next.Item.Data).GetProperty("count").GetInt64();
                }
                var delay = Stopwatch.GetElapsedTime(sent, notified.Value.ReceivedAt);
                output.WriteLine(
                    $"staff message → live event on instance {stream.Instance}: {delay.TotalMilliseconds:F0} ms");
                Assert.True(delay < TimeSpan.FromSeconds(1), $"the event came after {delay}");
                var notification = JsonSerializer.Deserialize<JsonElement>(notified.Value.Item.Data);
                Assert.Equal(ticket, notification.GetProperty("ticketId").GetGuid());
                Assert.Equal("message_posted", notification.GetProperty("kind").GetString());
                Assert.True(badge >= 1);
            }

            // Reading the thread lowers the badge, live.
            var before = streams[0].LastEventId;
            (await camille.PostAsync($"/api/tickets/{ticket}/read", null)).EnsureSuccessStatusCode();
            await streams[0].NextAsync("unread-count");

            // A stream that was away gets what it missed when it comes back with Last-Event-ID.
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/messages",
                new { body = "Un complément." })).EnsureSuccessStatusCode();
            await streams[0].NextAsync("notification");
            await using var back = await LiveStream.OpenAsync(portal, Demo.Camille, before);
            var missed = JsonSerializer.Deserialize<JsonElement>((await back.NextAsync("notification")).Item.Data);
            Assert.Equal(ticket, missed.GetProperty("ticketId").GetGuid());
        }
        finally
        {
            foreach (var stream in streams)
                await stream.DisposeAsync();
        }
    }

    [Fact]
    public async Task Members_get_one_email_per_thread_within_the_quiet_period_saying_only_that_the_service_wrote()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        (await sophie.PutAsJsonAsync("/api/notifications/preferences", new { email = false }))
            .EnsureSuccessStatusCode();
        try
        {
            var created = await nadia.PostAsJsonAsync("/api/tickets", new
            {
                subjectCode = "documents",
                body = "Le certificat secret n° 4711 est prêt.",
                companyId = await Api.CompanyIdAsync(camille),
                visibility = new { mode = "company", userIds = Array.Empty<Guid>() },
                requiresReply = true,
            });
            created.EnsureSuccessStatusCode();
            var ticket = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var sent = Stopwatch.GetTimestamp();

            var mail = await Mailbox.WaitForEmailAsync(portal, Demo.Camille, ticket);
            output.WriteLine(
                $"staff message → e-mail in the SMTP server: {Stopwatch.GetElapsedTime(sent).TotalMilliseconds:F0} ms");
            var text = mail.GetProperty("text").GetString()!;
            Assert.Contains("PÔLE SANTÉ TRAVAIL", text);
            Assert.Contains($"/echanges/{ticket}", text);
            Assert.DoesNotContain("4711", text + mail.GetProperty("subject").GetString());
            await Mailbox.WaitForEmailAsync(portal, Demo.Julien, ticket);
            await WaitForNotificationAsync(sophie, ticket, "ticket_opened"); // in-app still, e-mail off

            (await nadia.PostAsJsonAsync($"/api/tickets/{ticket}/messages",
                new { body = "Un rappel." })).EnsureSuccessStatusCode();
            await WaitForNotificationAsync(camille, ticket, "message_posted");
            // A witness: e-mails go out in the order they were queued, so once the e-mail of a thread
            // opened after is in the inbox, an e-mail of the reminder would be there too.
            var witness = await Api.OpenThreadAsync(
                nadia, "Un autre document est prêt.", companyId: await Api.CompanyIdAsync(camille));
            await Mailbox.WaitForEmailAsync(portal, Demo.Camille, witness);
            Assert.Single(await Mailbox.EmailsAsync(portal, Demo.Camille, ticket));
            Assert.Empty(await Mailbox.EmailsAsync(portal, Demo.Sophie, ticket));
        }
        finally
        {
            await sophie.PutAsJsonAsync("/api/notifications/preferences", new { email = true });
        }
    }

    [Fact]
    public async Task A_MessagePosted_delivered_twice_notifies_once()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var companyId = await Api.CompanyIdAsync(camille);
        var ticket = await Api.OpenThreadAsync(camille, "Double livraison");
        var witness = await Api.OpenThreadAsync(camille, "Témoin");
        var broker = await portal.ConnectionStringAsync("rabbitmq-tickets");
        var messageId = Guid.NewGuid();

        // As Tickets, the event's owner, would publish it.
        await RawPublisher.PublishAsync(
            broker, "MessagePosted", StaffMessage(ticket, companyId, messageId), messageId, times: 2);
        // A witness published after both copies: once its notification is there, both copies were
        // delivered (the second found in the inbox).
        var witnessId = Guid.NewGuid();
        await RawPublisher.PublishAsync(
            broker, "MessagePosted", StaffMessage(witness, companyId, witnessId), witnessId);

        await WaitForNotificationAsync(camille, witness, "message_posted");
        Assert.Single(await NotificationsAsync(camille, ticket));
    }

    private static object StaffMessage(Guid ticket, Guid companyId, Guid eventId) => new
    {
        eventId,
        occurredAt = DateTimeOffset.UtcNow,
        ticketId = ticket,
        messageId = Guid.NewGuid(),
        companyId,
        author = new { userId = Guid.NewGuid(), side = "staff" },
        requiresReply = false,
        attachmentIds = Array.Empty<Guid>(),
    };

    private sealed record Notification(Guid Id, string Kind, Guid TicketId);

    private static async Task<IReadOnlyList<Notification>> NotificationsAsync(HttpClient client, Guid ticket)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=100");
        return page.GetProperty("items").EnumerateArray()
            .Select(n => new Notification(
                n.GetProperty("id").GetGuid(), n.GetProperty("kind").GetString()!, n.GetProperty("ticketId").GetGuid()))
            .Where(n => n.TicketId == ticket).ToList();
    }

    private static Task WaitForNotificationAsync(HttpClient client, Guid ticket, string kind) =>
        Eventually.TrueAsync(async () => (await NotificationsAsync(client, ticket)).Any(n => n.Kind == kind),
            within: TimeSpan.FromSeconds(10));
}
