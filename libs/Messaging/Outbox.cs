using System.Diagnostics;
using System.Text.Json;
using Dapper;
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
        var id = message is Contracts.IPortalEvent e ? e.EventId : Guid.CreateVersion7();
        // The story this event belongs to (the request or the consumed message that wrote it).
        var story = Story.Current();
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            with stored as (
                insert into outbox_messages (id, message_type, body, trace_parent, trace_state)
                values (@id, @type, @body::jsonb, @story, @traceState) returning 1)
            select pg_notify('portal_outbox', '') from stored
            """,
            new
            {
                id, type = StoredTypeName(typeof(T)), body = JsonSerializer.Serialize(message, MessageJson.Options),
                story,
                traceState = story is null ? null : Activity.Current?.TraceStateString,
            },
            transaction, cancellationToken: cancellationToken));
    }

    // Without the assembly version, so that rows stored before an upgrade still resolve after it.
    private static string StoredTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
