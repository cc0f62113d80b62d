using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
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
        var broker = await portal.ConnectionStringAsync("rabbitmq-tickets");
        var ticketId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        // As Tickets, the event's owner, would publish it.
        await RawPublisher.PublishAsync(broker, "TicketOpened", Opened(ticketId, messageId, me), messageId, times: 2);
        // A witness published after both copies: once its list exists, both copies were delivered.
        var witness = Guid.NewGuid();
        await RawPublisher.PublishAsync(broker, "TicketOpened", Opened(witness, witness, me), witness);

        await Api.WaitForStatusAsync(camille, $"/api/tickets/{witness}/access", HttpStatusCode.OK);
        var list = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/access");
        Assert.Equal(1, list.GetProperty("version").GetInt64());
        await using var db = new NpgsqlConnection(await portal.ConnectionStringAsync("access-db"));
        Assert.Equal(1L, await db.ExecuteScalarAsync<long>(
            "select count(*) from ticket_access_history where ticket_id = @ticketId", new { ticketId }));
    }

    private static object Opened(Guid ticketId, Guid eventId, JsonElement me) => new
    {
        eventId,
        occurredAt = DateTimeOffset.UtcNow,
        ticketId,
        number = 99_999,
        companyId = me.GetProperty("companyId").GetGuid(),
        subjectCode = "autre",
        openedBy = new { userId = me.GetProperty("id").GetGuid(), side = "member" },
        visibility = new { mode = "restricted", userIds = Array.Empty<Guid>() },
    };
}
