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
        var posted = context.Message;
        await AttachmentStore.BindToMessageAsync(transaction, posted.TicketId, posted.MessageId, posted.Author.UserId, posted.AttachmentIds);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
