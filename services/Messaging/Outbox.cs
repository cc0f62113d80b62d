using System.Text.Json;
using Npgsql;

namespace Portal.Messaging;

/// <summary>
/// Stores an event in the publisher's database, on the connection and in the transaction of the
/// change it describes: committed together or not at all. <see cref="OutboxRelay"/> publishes it.
/// </summary>
public static class Outbox
{
    internal const string Channel = "portal_outbox";

    public static async Task EnqueueAsync<T>(NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        var id = message is Contracts.IPortalEvent e ? e.EventId : Guid.CreateVersion7();
        await using var command = new NpgsqlCommand(
            """
            insert into outbox_messages (id, message_type, body) values ($1, $2, $3::jsonb);
            select pg_notify('portal_outbox', '');
            """,
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = typeof(T).AssemblyQualifiedName! });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(message, MessageJson.Options) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
