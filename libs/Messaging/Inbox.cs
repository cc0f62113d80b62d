using Dapper;
using MassTransit;
using Npgsql;

namespace Portal.Messaging;

/// <summary>
/// Consumer-side de-duplication: a consumer opens its transaction through <see cref="BeginAsync"/>,
/// which records the message id in that same transaction. A redelivered message finds its id
/// already recorded and gets <c>null</c>: nothing is changed twice.
/// </summary>
public static class Inbox
{
    public static async Task<NpgsqlTransaction?> BeginAsync(
        NpgsqlConnection connection,
        ConsumeContext context,
        string consumer,
        CancellationToken cancellationToken = default)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException("A message without MessageId cannot be de-duplicated.");
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if ((await RecordAsync(transaction, [messageId], consumer, cancellationToken)).Count == 1)
            return transaction;
        await transaction.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Records a batch's message ids in <paramref name="transaction"/>: the ids not recorded before, the messages
    /// the consumer handles.
    /// </summary>
    public static async Task<IReadOnlySet<Guid>> RecordAsync(
        NpgsqlTransaction transaction,
        IEnumerable<Guid> messageIds,
        string consumer,
        CancellationToken cancellationToken = default) =>
        (await transaction.Connection!.QueryAsync<Guid>(new CommandDefinition(
            """
            insert into inbox_messages (message_id, consumer) select m, @consumer from unnest(@messageIds) m
            on conflict do nothing returning message_id
            """,
            new { messageIds = messageIds.Distinct().ToArray(), consumer }, transaction,
            cancellationToken: cancellationToken))).ToHashSet();
}
