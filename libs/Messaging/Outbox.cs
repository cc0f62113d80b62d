using System.Data;
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
    /// <summary>
    /// A NOTIFY on this channel wakes every relay of the database: for events stored by another process (a tool, a
    /// replay). The services' own writers do not send it (see <see cref="Stored"/>).
    /// </summary>
    internal const string Channel = "portal_outbox";

    /// <summary>
    /// Raised when a connection that stored events has closed, so once its transaction is over: this process's
    /// relays look for the events at once. Not a NOTIFY in the writer's transaction: PostgreSQL commits the
    /// transactions that sent one a single one at a time across the whole server (each holds a lock until its WAL
    /// is flushed), and under load every post waited for its turn there. Events that another process stored and did
    /// not publish (it stopped first) are found by the relays' poll.
    /// </summary>
    internal static event Action? Stored;

    public static async Task EnqueueAsync<T>(
        NpgsqlTransaction transaction, T message, CancellationToken cancellationToken = default)
        where T : class
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands = { Command(transaction, message) },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The statement that stores the event, for a writer that sends it in one round trip with the change it
    /// describes (an <see cref="NpgsqlBatch"/> in <paramref name="transaction"/>, the change's).
    /// </summary>
    public static NpgsqlBatchCommand Command<T>(NpgsqlTransaction transaction, T message) where T : class
    {
        WakeRelaysWhenClosed(transaction.Connection
            ?? throw new InvalidOperationException("The transaction is over: the event would never be stored."));
        var id = message is Contracts.IPortalEvent e ? e.EventId : Guid.CreateVersion7();
        // The story this event belongs to (the request or the consumed message that wrote it).
        var story = Story.Current();
        return new NpgsqlBatchCommand(
            """
            insert into outbox_messages (id, message_type, body, trace_parent, trace_state)
            values ($1, $2, $3::jsonb, $4, $5)
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

    private static void WakeRelaysWhenClosed(NpgsqlConnection connection)
    {
        StateChangeEventHandler? closed = null;
        closed = (_, change) =>
        {
            if (change.CurrentState != ConnectionState.Closed)
                return;
            connection.StateChange -= closed;
            Stored?.Invoke();
        };
        connection.StateChange += closed;
    }

    // Without the assembly version, so that rows stored before an upgrade still resolve after it.
    private static string StoredTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
