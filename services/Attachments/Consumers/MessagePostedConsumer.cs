using MassTransit;
using Npgsql;
using Portal.Attachments.Data;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Attachments.Consumers;

public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource) : IConsumer<MessagePosted>
{
    public async Task Consume(ConsumeContext<MessagePosted> context)
    {
        if (context.Message.AttachmentIds.Count == 0)
            return;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, nameof(MessagePostedConsumer), context.CancellationToken);
        if (transaction is null)
            return;
        await AttachmentStore.BindToMessageAsync(transaction, context.Message);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
