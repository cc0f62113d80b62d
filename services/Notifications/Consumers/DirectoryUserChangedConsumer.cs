using Npgsql;
using Portal.Contracts;
using Portal.Messaging;
using Portal.Notifications.Data;

namespace Portal.Notifications.Consumers;

/// <summary>Keeps the local directory (who is told, by which address, whether still active) current.</summary>
public sealed class DirectoryUserChangedConsumer(NpgsqlDataSource dataSource)
    : InboxConsumer<DirectoryUserChanged>(dataSource, "DirectoryUserChangedConsumer")
{
    protected override Task HandleAsync(
        NpgsqlTransaction transaction, DirectoryUserChanged changed, CancellationToken ct) =>
        NotificationStore.UpsertUserAsync(transaction, changed, ct);
}
