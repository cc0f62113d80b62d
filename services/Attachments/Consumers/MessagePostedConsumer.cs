using Npgsql;
using Portal.Attachments.Data;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Attachments.Consumers;

/// <summary>The backstop of the synchronous bind: a posted message's files become its thread's.</summary>
public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource)
    : InboxConsumer<MessagePosted>(dataSource, "MessagePostedConsumer")
{
    protected override bool Concerns(MessagePosted posted) => posted.AttachmentIds.Count > 0;

    protected override Task HandleAsync(NpgsqlTransaction transaction, MessagePosted posted, CancellationToken ct) =>
        AttachmentStore.BindToMessageAsync(
            transaction, posted.TicketId, posted.MessageId, posted.Author.UserId, posted.AttachmentIds, ct);
}
