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
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            "insert into inbox_messages (message_id, consumer) values (@messageId, @consumer) on conflict do nothing",
            new { messageId, consumer }, transaction, cancellationToken: cancellationToken));
        if (recorded == 1)
            return transaction;
        await transaction.DisposeAsync();
        return null;
    }
}
