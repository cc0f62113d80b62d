using MassTransit;
using Npgsql;

namespace Portal.Messaging;

/// <summary>
/// A consumer that changes its service's database: each message is handled once, in one
/// transaction that also records it in the inbox (<see cref="Inbox"/>), so a redelivery changes
/// nothing. <paramref name="inboxKey"/> names the consumer in the inbox: a stable literal, so that
/// renaming the class does not make it handle again what it handled before.
/// </summary>
public abstract class InboxConsumer<TMessage>(NpgsqlDataSource dataSource, string inboxKey) : IConsumer<TMessage>
    where TMessage : class
{
    public async Task Consume(ConsumeContext<TMessage> context)
    {
        if (!Concerns(context.Message))
            return;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, inboxKey, context.CancellationToken);
        if (transaction is null)
            return;
        await HandleAsync(transaction, context.Message, context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    /// <summary>Whether the message means anything to this consumer; one that does not is not recorded.</summary>
    protected virtual bool Concerns(TMessage message) => true;

    protected abstract Task HandleAsync(NpgsqlTransaction transaction, TMessage message, CancellationToken ct);
}
