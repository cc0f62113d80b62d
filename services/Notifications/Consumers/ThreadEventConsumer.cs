using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>The thread an event names is not known here yet (its TicketOpened is still on its way): retried.</summary>
public sealed class ThreadNotKnownYetException(Guid ticketId) : Exception($"Thread {ticketId} is not known yet.");

/// <summary>
/// The shared path of every event that may notify: de-duplicate, find the thread's audience, tell
/// the recipients, all in one transaction.
/// </summary>
public abstract class ThreadEventConsumer<TEvent>(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options) : IConsumer<TEvent>
    where TEvent : class, IPortalEvent
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, GetType().Name, context.CancellationToken);
        if (transaction is null)
            return;
        await HandleAsync(transaction, context.Message);
        await transaction.CommitAsync(context.CancellationToken);
    }

    protected abstract Task HandleAsync(NpgsqlTransaction transaction, TEvent message);

    protected async Task NotifyAsync(NpgsqlTransaction transaction, TEvent message, Guid ticketId, Actor author, string kind)
    {
        var thread = await NotificationStore.AudienceAsync(transaction, ticketId) ?? throw new ThreadNotKnownYetException(ticketId);
        var recipients = Recipients.Of(author, thread, await NotificationStore.DirectoryForAsync(transaction, thread.CompanyId));
        await NotificationStore.NotifyAsync(transaction, message.EventId, message.OccurredAt, kind, thread, recipients, options.Value.EmailQuietPeriod);
    }
}

public sealed class TicketOpenedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<TicketOpened>(dataSource, options)
{
    protected override async Task HandleAsync(NpgsqlTransaction transaction, TicketOpened opened)
    {
        await NotificationStore.AddThreadAsync(transaction, opened);
        // The opening list, as version 0: Access's own TicketAccessChanged (version 1 and later) replaces it.
        await Portal.AccessProjection.TicketAccess.ApplyAsync(transaction, new TicketAccessChanged(opened.EventId, opened.OccurredAt,
            opened.TicketId, opened.CompanyId, opened.Visibility.Mode, opened.Visibility.UserIds, Version: 0, opened.OpenedBy.UserId));
        await NotifyAsync(transaction, opened, opened.TicketId, opened.OpenedBy, NotificationKinds.TicketOpened);
    }
}

public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<MessagePosted>(dataSource, options)
{
    protected override async Task HandleAsync(NpgsqlTransaction transaction, MessagePosted posted)
    {
        // Writing marks the thread read for its author: their badge may change.
        await NotificationStore.SignalAsync(transaction.Connection!, posted.Author.UserId, transaction);
        // The first message is told as the opening of the thread, by TicketOpened.
        if (!posted.OpensThread)
            await NotifyAsync(transaction, posted, posted.TicketId, posted.Author, NotificationKinds.MessagePosted);
    }
}

public sealed class TicketClosedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : ThreadEventConsumer<TicketClosed>(dataSource, options)
{
    protected override Task HandleAsync(NpgsqlTransaction transaction, TicketClosed closed) =>
        NotifyAsync(transaction, closed, closed.TicketId, closed.ClosedBy, NotificationKinds.TicketClosed);
}
