using Dapper;
using System.Text.Json;
using Npgsql;
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
        var inserted = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into ticket_access (ticket_id, company_id, creator_id, mode, user_ids, version)
            values (@TicketId, @CompanyId, @CreatorId, @Mode, @UserIds, @Version) on conflict (ticket_id) do nothing
            """, list, transaction, cancellationToken: ct));
        if (inserted == 0)
            return false;
        await RecordAsync(transaction, before: null, list, by, ct);
        return true;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current list under a row lock; null when the thread has no list.
    /// </summary>
    public async Task<AccessList?> ChangeAsync(
        Guid ticketId, Guid by, Func<AccessList, AccessList?> change, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var current = await FindAsync(connection, transaction, ticketId, forUpdate: true, ct);
        if (current is null || change(current) is not { } next)
            return null;

        await connection.ExecuteAsync(new CommandDefinition(
            """
            update ticket_access set company_id = @CompanyId, creator_id = @CreatorId, mode = @Mode,
                user_ids = @UserIds, version = @Version, updated_at = now()
            where ticket_id = @TicketId
            """, next, transaction, cancellationToken: ct));
        await RecordAsync(transaction, current, next, by, ct);
        await transaction.CommitAsync(ct);
        return next;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> changes after the one numbered <paramref name="after"/>, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<AccessHistoryEntry>> HistoryAsync(
        Guid ticketId, long after, int limit, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            """
            select id, at, by_user_id as By, before::text as Before, after::text as After
            from ticket_access_history where ticket_id = @ticketId and id > @after order by id limit @limit
            """, new { ticketId, after, limit }, cancellationToken: ct));
        return rows.Select(r => new AccessHistoryEntry(r.Id, r.At, r.By,
            r.Before is null ? null : JsonDocument.Parse(r.Before).RootElement,
            JsonDocument.Parse(r.After).RootElement)).ToList();
    }

    private async Task RecordAsync(
        NpgsqlTransaction transaction, AccessList? before, AccessList after, Guid by, CancellationToken ct)
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into ticket_access_history (ticket_id, by_user_id, before, after)
            values (@TicketId, @by, @before::jsonb, @after::jsonb)
            """,
            new { after.TicketId, by, before = before is null ? null : Snapshot(before), after = Snapshot(after) },
            transaction, cancellationToken: ct));

        await Outbox.EnqueueAsync(transaction, new TicketAccessChanged(
            Guid.CreateVersion7(), clock.GetUtcNow(), after.TicketId, after.CompanyId, after.Mode, after.UserIds,
            after.Version, after.CreatorId), ct);
    }

    private static string Snapshot(AccessList list) =>
        JsonSerializer.Serialize(new { mode = list.Mode, userIds = list.UserIds, version = list.Version });

    private static Task<AccessList?> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid ticketId,
        bool forUpdate,
        CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<AccessList>(new CommandDefinition(
            """
            select ticket_id as TicketId, company_id as CompanyId, creator_id as CreatorId, mode,
                user_ids as UserIds, version
            from ticket_access where ticket_id = @ticketId
            """ + (forUpdate ? " for update" : ""), new { ticketId }, transaction, cancellationToken: ct));

    private sealed record HistoryRow(long Id, DateTime At, Guid By, string? Before, string After);
}
