using MassTransit;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.AccessProjection;

public sealed class TicketAccessChangedConsumer(NpgsqlDataSource dataSource) : IConsumer<TicketAccessChanged>
{
    public async Task Consume(ConsumeContext<TicketAccessChanged> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, nameof(TicketAccessChangedConsumer), context.CancellationToken);
        if (transaction is null)
            return;
        await TicketAccess.ApplyAsync(transaction, context.Message, context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
