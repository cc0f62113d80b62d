using MassTransit;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Tickets.Data;

namespace Portal.Tickets.Consumers;

public sealed class TicketAccessChangedConsumer(NpgsqlDataSource dataSource) : IConsumer<TicketAccessChanged>
{
    public async Task Consume(ConsumeContext<TicketAccessChanged> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, nameof(TicketAccessChangedConsumer), context.CancellationToken);
        if (transaction is null)
            return;
        await TicketStore.ProjectAccessAsync(transaction, context.Message, context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
