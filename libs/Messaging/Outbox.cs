using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
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
            with stored as (
                insert into outbox_messages (id, message_type, body, trace_parent, trace_state) values ($1, $2, $3::jsonb, $4, $5) returning 1)
            select pg_notify('portal_outbox', '') from stored
            """,
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = StoredTypeName(typeof(T)) });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(message, MessageJson.Options) });
        // The story this event belongs to (the request or the consumed message that wrote it).
        var story = Story.Current();
        command.Parameters.Add(new() { Value = (object?)story ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)(story is null ? null : Activity.Current?.TraceStateString) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Without the assembly version, so that rows stored before an upgrade still resolve after it.
    private static string StoredTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
