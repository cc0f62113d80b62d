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
/// TicketOpened). They come in batches (<see cref="Batching"/>): one transaction, one inbox record, one turn per
/// recipient and one commit for all of them, where one each made every writer for the staff wait on the others.
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

        // Writing marks the thread read for its author: their badge may change.
        await NotificationStore.SignalAsync(connection, posted.Select(p => p.Author.UserId), transaction, ct);
        var threads = new Dictionary<Guid, ThreadAudience>();
        var directories = new Dictionary<Guid, IReadOnlyList<DirectoryEntry>>();
        var notices = new List<Notice>();
        foreach (var message in posted.Where(p => !p.OpensThread))
        {
            if (!threads.TryGetValue(message.TicketId, out var thread))
                threads[message.TicketId] = thread =
                    await NotificationStore.AudienceAsync(transaction, message.TicketId, ct)
                    ?? throw new ThreadNotKnownYetException(message.TicketId);
            if (!directories.TryGetValue(thread.CompanyId, out var directory))
                directories[thread.CompanyId] = directory =
                    await NotificationStore.DirectoryForAsync(transaction, thread.CompanyId, ct);
            notices.Add(new Notice(message.EventId, message.OccurredAt, NotificationKinds.MessagePosted, thread,
                Recipients.Of(message.Author, thread, directory)));
        }
        await NotificationStore.NotifyAsync(transaction, notices, options.Value.EmailQuietPeriod, ct);
        await transaction.CommitAsync(ct);
    }

    /// <param name="MessageId">The broker message's id, the event's inbox key.</param>
    public sealed record Delivery(Guid MessageId, MessagePosted Message);
}
