using MassTransit;
using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;

namespace Portal.Notifications.Consumers;

public sealed class DirectoryUserChangedConsumer(NpgsqlDataSource dataSource) : IConsumer<DirectoryUserChanged>
{
    public async Task Consume(ConsumeContext<DirectoryUserChanged> context)
    {
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await Inbox.BeginAsync(connection, context, nameof(DirectoryUserChangedConsumer), context.CancellationToken);
        if (transaction is null)
            return;
        await NotificationStore.UpsertUserAsync(transaction, context.Message);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
