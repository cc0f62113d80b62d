using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>Portal's events on the broker, as another system publishes and reads them.</summary>
[Collection(PortalCollection.Name)]
public sealed class EventSubscriberTests(PortalApp portal)
{
    [Fact]
    public async Task A_TicketOpened_delivered_twice_creates_one_access_list_version_1()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var me = await camille.GetFromJsonAsync<JsonElement>("/api/me");
        var ticketId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var opened = new
        {
            eventId = messageId,
            occurredAt = DateTimeOffset.UtcNow,
            ticketId,
            number = 99_999,
            companyId = me.GetProperty("companyId").GetGuid(),
            subjectCode = "autre",
            openedBy = new { userId = me.GetProperty("id").GetGuid(), side = "member" },
            visibility = new { mode = "restricted", userIds = Array.Empty<Guid>() },
        };
        // As Tickets, the event's owner, would publish it.
        await RawPublisher.PublishAsync((await portal.ConnectionStringAsync("rabbitmq-tickets"))!, "TicketOpened", opened, messageId, times: 2);

        HttpResponseMessage? response = null;
        await Eventually.TrueAsync(async () => (response = await camille.GetAsync($"/api/tickets/{ticketId}/access")).StatusCode == HttpStatusCode.OK,
            within: TimeSpan.FromSeconds(10));
        var list = await response!.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, list.GetProperty("version").GetInt64());

        await Task.Delay(500);
        await using var db = new NpgsqlConnection(await portal.ConnectionStringAsync("access-db"));
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from ticket_access_history where ticket_id = $1", db);
        count.Parameters.Add(new() { Value = ticketId });
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
