using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
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
        var envelope = JsonSerializer.Serialize(new
        {
            messageId,
            messageType = new[] { "urn:message:Portal.Contracts:TicketOpened" },
            message = new
            {
                eventId = messageId,
                occurredAt = DateTimeOffset.UtcNow,
                ticketId,
                number = 99_999,
                companyId = me.GetProperty("companyId").GetGuid(),
                subjectCode = "autre",
                openedBy = new { userId = me.GetProperty("id").GetGuid(), side = "member" },
                visibility = new { mode = "restricted", userIds = Array.Empty<Guid>() },
            },
        });

        var factory = new ConnectionFactory { Uri = new Uri((await portal.ConnectionStringAsync("rabbitmq"))!) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = messageId.ToString() };
            for (var i = 0; i < 2; i++)
                await channel.BasicPublishAsync("Portal.Contracts:TicketOpened", "", false, properties, Encoding.UTF8.GetBytes(envelope));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        HttpResponseMessage response;
        while ((response = await camille.GetAsync($"/api/tickets/{ticketId}/access", cts.Token)).StatusCode != HttpStatusCode.OK)
            await Task.Delay(50, cts.Token);
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, list.GetProperty("version").GetInt64());

        await Task.Delay(500);
        await using var db = new NpgsqlConnection(await portal.ConnectionStringAsync("access-db"));
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*) from ticket_access_history where ticket_id = $1", db);
        count.Parameters.Add(new() { Value = ticketId });
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
