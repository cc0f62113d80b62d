using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>
/// A message: its author's badge may change, and the other side is told (the opening message is told by
/// TicketOpened).
/// </summary>
public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<MessagePosted>(dataSource, "MessagePostedConsumer", options)
{
    protected override async Task HandleAsync(NpgsqlTransaction transaction, MessagePosted posted, CancellationToken ct)
    {
        // Writing marks the thread read for its author: their badge may change.
        await NotificationStore.SignalAsync(transaction.Connection!, posted.Author.UserId, transaction, ct);
        if (!posted.OpensThread)
            await NotifyAsync(transaction, posted, posted.TicketId, posted.Author, NotificationKinds.MessagePosted, ct);
    }
}
