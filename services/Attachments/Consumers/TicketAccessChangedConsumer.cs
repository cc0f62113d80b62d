using MassTransit;
using Npgsql;
using Portal.Attachments.Data;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Attachments.Consumers;

public sealed class TicketAccessChangedConsumer(NpgsqlDataSource dataSource) : IConsumer<TicketAccessChanged>
{
    public async Task Consume(ConsumeContext<TicketAccessChanged> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, nameof(TicketAccessChangedConsumer), context.CancellationToken);
        if (transaction is null)
            return;
        await AttachmentStore.ProjectAccessAsync(transaction, context.Message);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
