using System.Runtime.ExceptionServices;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;
using Portal.Notifications.Model;

namespace Portal.Notifications.Consumers;

/// <summary>
/// Messages: each author's badge may change, and the other side is told (the opening message is told by
/// TicketOpened). They come in batches (<see cref="Batching"/>): one transaction for all of them, where one each made
/// every writer for the staff wait on the others, and four round trips: the inbox record, the threads and who could
/// be told, every turn, notification, e-mail and signal, the commit.
/// </summary>
public sealed class MessagePostedConsumer(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
    : IConsumer<Batch<MessagePosted>>
{
    private const string InboxKey = "MessagePostedConsumer";

    public static void Batching(BatchOptions batch) => batch
        .SetMessageLimit(100)
        .SetTimeLimit(TimeSpan.FromMilliseconds(5))
        .SetConcurrencyLimit(2);

    public Task Consume(ConsumeContext<Batch<MessagePosted>> context) =>
        HandleAsync(context.Message.Select(m => new Delivery(
                m.MessageId ?? throw new InvalidOperationException("A message without MessageId: no inbox key."),
                m.Message)).ToList(),
            context.CancellationToken);

    /// <summary>
    /// Handles a batch at once. When that fails (typically a thread whose TicketOpened is still on its way), each
    /// message is handled on its own, so that one message retried does not hold back the others: those handled are
    /// in the inbox, and the batch, retried, changes nothing twice.
    /// </summary>
    public async Task HandleAsync(IReadOnlyList<Delivery> batch, CancellationToken ct)
    {
        try
        {
            await HandleTogetherAsync(batch, ct);
        }
        catch (Exception) when (batch.Count > 1 && !ct.IsCancellationRequested)
        {
            ExceptionDispatchInfo? failure = null;
            foreach (var delivery in batch)
            {
                try
                {
                    await HandleTogetherAsync([delivery], ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    failure ??= ExceptionDispatchInfo.Capture(e);
                }
            }
            failure?.Throw();
        }
    }

    private async Task HandleTogetherAsync(IReadOnlyList<Delivery> batch, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var fresh = await Inbox.RecordAsync(transaction, batch.Select(d => d.MessageId), InboxKey, ct);
        var posted = batch.Where(d => fresh.Contains(d.MessageId)).Select(d => d.Message).ToList();
        if (posted.Count == 0)
            return;

        // The opening message is told by TicketOpened.
        var followUps = posted.Where(p => !p.OpensThread).ToList();
        var reach = followUps.Count == 0
            ? new Dictionary<Guid, ThreadReach>()
            : await NotificationStore.ReachAsync(transaction, followUps.Select(p => p.TicketId), ct);
        var notices = followUps.Select(message =>
        {
            var (thread, directory) = reach.GetValueOrDefault(message.TicketId)
                ?? throw new ThreadNotKnownYetException(message.TicketId);
            return new Notice(message.EventId, message.OccurredAt, NotificationKinds.MessagePosted, thread,
                Recipients.Of(message.Author, thread, directory));
        }).ToList();
        // Writing marks the thread read for its author: their badge may change.
        await NotificationStore.NotifyAsync(transaction, notices, options.Value.EmailQuietPeriod, ct,
            countsChanged: posted.Select(p => p.Author.UserId));
        await transaction.CommitAsync(ct);
    }

    /// <param name="MessageId">The broker message's id, the event's inbox key.</param>
    public sealed record Delivery(Guid MessageId, MessagePosted Message);
}
