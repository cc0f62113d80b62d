using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Portal.Contracts;
using Portal.Testing;
using RabbitMQ.Client;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Each part publishes only the events it owns; a subscriber reads and never publishes; consumers
/// accept an event only from its owner.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class BrokerAccountTests(PortalApp portal)
{
    [Fact]
    public async Task A_subscriber_account_reads_Portals_events_and_the_broker_refuses_its_forged_event()
    {
        var url = await AddSubscriberAsync("crm");
        var factory = new ConnectionFactory { Uri = new Uri(url) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync("crm-ticket-opened", durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync("crm-ticket-opened", "Portal.Contracts:TicketOpened", "");
        }

        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var ticketId = await Api.OpenThreadAsync(camille, "Une demande que le CRM doit voir");
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            BasicGetResult? delivery = null;
            await Eventually.TrueAsync(async () =>
                (delivery = await channel.BasicGetAsync("crm-ticket-opened", autoAck: true)) is not null
                && System.Text.Encoding.UTF8.GetString(delivery.Body.Span).Contains(ticketId.ToString()),
                within: TimeSpan.FromSeconds(10));
            Assert.Equal(Publishers.Tickets, delivery!.BasicProperties.UserId);
        }

        var forged = ForgedOpenAccess(ticketId, await Api.CompanyIdAsync(camille));
        await Assert.ThrowsAnyAsync<Exception>(() => RawPublisher.PublishAsync(url, forged));
        await Assert.ThrowsAnyAsync<Exception>(() => RawPublisher.PublishAsync(url, forged, claimUserId: false));
    }

    [Fact]
    public async Task A_service_account_cannot_publish_an_event_another_service_owns()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var ticketId = await Api.OpenThreadAsync(camille, "Demande restreinte", "restricted");
        var forged = ForgedOpenAccess(ticketId, await Api.CompanyIdAsync(camille));
        foreach (var account in new[] { "tickets", "attachments", "notifications", "gateway" })
        {
            var url = (await portal.ConnectionStringAsync($"rabbitmq-{account}"))!;
            await Assert.ThrowsAnyAsync<Exception>(() => RawPublisher.PublishAsync(url, forged));
        }
    }

    [Fact]
    public async Task Consumers_ignore_an_event_that_its_owner_did_not_publish_and_later_genuine_changes_still_count()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        var ticketId = await Api.OpenThreadAsync(camille, "Seule Camille et qui elle choisit", "restricted");
        var before = await DeadLetterCountsAsync();

        // Only the administrator's account can write to Access's exchange; its user-id is not Access's.
        await RawPublisher.PublishAsync((await portal.ConnectionStringAsync("rabbitmq"))!,
            ForgedOpenAccess(ticketId, await Api.CompanyIdAsync(camille)));

        // Each consumer refuses it until the broker dead-letters it: then it was judged everywhere.
        await Eventually.TrueAsync(
            async () => (await DeadLetterCountsAsync()).Zip(before).All(pair => pair.First > pair.Second),
            every: TimeSpan.FromMilliseconds(100));
        Assert.Equal(HttpStatusCode.NotFound, (await sophie.GetAsync($"/api/tickets/{ticketId}")).StatusCode);

        var granted = await camille.PutAsJsonAsync($"/api/tickets/{ticketId}/access",
            new { mode = "restricted", userIds = new[] { await Api.UserIdAsync(julien) } });
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        await Api.WaitForStatusAsync(julien, $"/api/tickets/{ticketId}", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await sophie.GetAsync($"/api/tickets/{ticketId}")).StatusCode);
    }

    private async Task<string> AddSubscriberAsync(string name)
    {
        var data = Path.GetDirectoryName((await portal.EnvironmentAsync("rabbitmq"))["RABBITMQ_DATA"])!;
        var info = new ProcessStartInfo(
            "bash", [Path.Combine(RepositoryRoot.Path, "scripts", "add-subscriber.sh"), name])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PORTAL_DATA_DIRECTORY"] = data },
        };
        using var script = Process.Start(info)!;
        var output = await script.StandardOutput.ReadToEndAsync();
        var error = await script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, error);
        return output.Trim();
    }

    private async Task<uint[]> DeadLetterCountsAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri((await portal.ConnectionStringAsync("rabbitmq"))!) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var counts = new List<uint>();
        foreach (var consumer in new[] { "tickets", "attachments", "notifications" })
            counts.Add((await channel.QueueDeclarePassiveAsync($"{consumer}-dead-letters")).MessageCount);
        return [.. counts];
    }

    // What an attacker would send: the thread open to the whole company, at a version no genuine change reaches.
    private static TicketAccessChanged ForgedOpenAccess(Guid ticketId, Guid companyId) =>
        new(Guid.NewGuid(), DateTimeOffset.UtcNow, ticketId, companyId, VisibilityModes.Company, [],
            long.MaxValue / 2, Guid.NewGuid());
}
