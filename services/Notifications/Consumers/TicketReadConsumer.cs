using MassTransit;
using Npgsql;
using Portal.Contracts;
using Portal.Notifications.Data;

namespace Portal.Notifications.Consumers;

/// <summary>
/// A read changes the reader's unread count: their live streams, on any instance, send the new badge.
/// </summary>
public sealed class TicketReadConsumer(NpgsqlDataSource dataSource) : IConsumer<TicketRead>
{
    public async Task Consume(ConsumeContext<TicketRead> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await NotificationStore.SignalAsync(connection, [context.Message.UserId], null, context.CancellationToken);
    }
}
