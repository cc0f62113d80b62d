using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Portal.Access.Model;
using Portal.Contracts;
using Portal.Messaging;

namespace Portal.Access.Data;

public sealed record AccessHistoryEntry(long Id, DateTime At, Guid By, JsonElement? Before, JsonElement After);

/// <summary>
/// Access lists, their audit trail and their events: each change is one transaction that writes
/// the list, the history record and the <see cref="TicketAccessChanged"/> event together.
/// </summary>
public sealed class AccessListStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<AccessList?> FindAsync(Guid ticketId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindAsync(connection, null, ticketId, forUpdate: false, ct);
    }

    /// <summary>Stores version 1 unless the thread already has a list; true when this call stored it.</summary>
    public async Task<bool> RegisterAsync(AccessList list, Guid by, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var stored = await RegisterAsync(transaction, list, by, ct);
        await transaction.CommitAsync(ct);
        return stored;
    }

    public async Task<bool> RegisterAsync(NpgsqlTransaction transaction, AccessList list, Guid by, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand(
            """
            insert into ticket_access (ticket_id, company_id, creator_id, mode, user_ids, version)
            values ($1, $2, $3, $4, $5, $6) on conflict (ticket_id) do nothing
            """, transaction.Connection, transaction);
        AddListParameters(insert, list);
        if (await insert.ExecuteNonQueryAsync(ct) == 0)
            return false;
        await RecordAsync(transaction, before: null, list, by, ct);
        return true;
    }

    /// <summary>Applies <paramref name="change"/> to the current list under a row lock; null when the thread has no list.</summary>
    public async Task<AccessList?> ChangeAsync(Guid ticketId, Guid by, Func<AccessList, AccessList?> change, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await FindAsync(connection, transaction, ticketId, forUpdate: true, ct);
        if (current is null || change(current) is not { } next)
            return null;

        await using var update = new NpgsqlCommand(
            """
            update ticket_access set company_id = $2, creator_id = $3, mode = $4, user_ids = $5, version = $6, updated_at = now()
            where ticket_id = $1
            """, connection, transaction);
        AddListParameters(update, next);
        await update.ExecuteNonQueryAsync(ct);
        await RecordAsync(transaction, current, next, by, ct);
        await transaction.CommitAsync(ct);
        return next;
    }

    /// <summary>Up to <paramref name="limit"/> changes after the one numbered <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AccessHistoryEntry>> HistoryAsync(Guid ticketId, long after, int limit, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            "select id, at, by_user_id, before::text, after::text from ticket_access_history where ticket_id = $1 and id > $2 order by id limit $3", connection);
        command.Parameters.Add(new() { Value = ticketId });
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = limit });
        var entries = new List<AccessHistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new AccessHistoryEntry(
                reader.GetInt64(0),
                reader.GetDateTime(1),
                reader.GetGuid(2),
                reader.IsDBNull(3) ? null : JsonDocument.Parse(reader.GetString(3)).RootElement,
                JsonDocument.Parse(reader.GetString(4)).RootElement));
        }
        return entries;
    }

    private async Task RecordAsync(NpgsqlTransaction transaction, AccessList? before, AccessList after, Guid by, CancellationToken ct)
    {
        await using var history = new NpgsqlCommand(
            "insert into ticket_access_history (ticket_id, by_user_id, before, after) values ($1, $2, $3, $4)",
            transaction.Connection, transaction);
        history.Parameters.Add(new() { Value = after.TicketId });
        history.Parameters.Add(new() { Value = by });
        history.Parameters.Add(new() { Value = before is null ? DBNull.Value : Snapshot(before), NpgsqlDbType = NpgsqlDbType.Jsonb });
        history.Parameters.Add(new() { Value = Snapshot(after), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await history.ExecuteNonQueryAsync(ct);

        await Outbox.EnqueueAsync(transaction, new TicketAccessChanged(
            Guid.CreateVersion7(), clock.GetUtcNow(), after.TicketId, after.CompanyId, after.Mode, after.UserIds, after.Version, after.CreatorId), ct);
    }

    private static string Snapshot(AccessList list) =>
        JsonSerializer.Serialize(new { mode = list.Mode, userIds = list.UserIds, version = list.Version });

    private static void AddListParameters(NpgsqlCommand command, AccessList list)
    {
        command.Parameters.Add(new() { Value = list.TicketId });
        command.Parameters.Add(new() { Value = list.CompanyId });
        command.Parameters.Add(new() { Value = list.CreatorId });
        command.Parameters.Add(new() { Value = list.Mode });
        command.Parameters.Add(new() { Value = list.UserIds.ToArray() });
        command.Parameters.Add(new() { Value = list.Version });
    }

    private static async Task<AccessList?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid ticketId, bool forUpdate, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select ticket_id, company_id, creator_id, mode, user_ids, version from ticket_access where ticket_id = $1"
            + (forUpdate ? " for update" : ""), connection, transaction);
        command.Parameters.Add(new() { Value = ticketId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        return new AccessList(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
            reader.GetFieldValue<Guid[]>(4), reader.GetInt64(5));
    }
}
