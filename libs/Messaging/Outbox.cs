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

    public static async Task EnqueueAsync<T>(
        NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands = { Command(message) },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The statement that stores the event, for a writer that sends it in one round trip with the change it
    /// describes (an <see cref="NpgsqlBatch"/> in the change's transaction).
    /// </summary>
    public static NpgsqlBatchCommand Command<T>(T message) where T : class
    {
        var id = message is Contracts.IPortalEvent e ? e.EventId : Guid.CreateVersion7();
        // The story this event belongs to (the request or the consumed message that wrote it).
        var story = Story.Current();
        return new NpgsqlBatchCommand(
            """
            with stored as (
                insert into outbox_messages (id, message_type, body, trace_parent, trace_state)
                values ($1, $2, $3::jsonb, $4, $5) returning 1)
            select pg_notify('portal_outbox', '') from stored
            """)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = id },
                new NpgsqlParameter<string> { TypedValue = StoredTypeName(typeof(T)) },
                new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(message, MessageJson.Options) },
                new NpgsqlParameter<string?> { TypedValue = story },
                new NpgsqlParameter<string?> { TypedValue = story is null ? null : Activity.Current?.TraceStateString },
            },
        };
    }

    // Without the assembly version, so that rows stored before an upgrade still resolve after it.
    private static string StoredTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
