using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>
/// The shared path of every event that may notify: find the thread's audience and tell the
/// recipients, in the consumer's one transaction.
/// </summary>
public abstract class ThreadEventConsumer<TEvent>(
    NpgsqlDataSource dataSource,
    string inboxKey,
    IOptions<NotificationOptions> options)
    : InboxConsumer<TEvent>(dataSource, inboxKey)
    where TEvent : class, IPortalEvent
{
    protected async Task NotifyAsync(
        NpgsqlTransaction transaction, TEvent message, Guid ticketId, Actor author, string kind, CancellationToken ct)
    {
        var (thread, directory) = (await NotificationStore.ReachAsync(transaction, [ticketId], ct))
            .GetValueOrDefault(ticketId) ?? throw new ThreadNotKnownYetException(ticketId);
        var recipients = Recipients.Of(author, thread, directory);
        await NotificationStore.NotifyAsync(transaction,
            [new Notice(message.EventId, message.OccurredAt, kind, thread, recipients)], options.Value.EmailQuietPeriod,
            ct);
    }
}
