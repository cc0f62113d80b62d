using Dapper;
using Npgsql;
using Portal.Contracts;

namespace Portal.AccessProjection;

/// <summary>
/// The access lists of Access, projected into a service's own database (one row per thread, the
/// newest version wins), and the rule that reads them: staff see every thread; a member sees a
/// thread of their own company in company mode, or one whose list names them, or one they created.
/// </summary>
public static class TicketAccess
{
    /// <summary>
    /// The rule as a SQL predicate over <paramref name="ticketIdColumn"/>, with <c>@userId</c>, <c>@isStaff</c>,
    /// <c>@companyId</c>.
    /// </summary>
    public static string VisibleTo(string ticketIdColumn) => $"""
        (@isStaff or exists (
            select 1 from ticket_access a
            where a.ticket_id = {ticketIdColumn} and a.company_id = @companyId
              and (a.mode = 'company' or a.creator_id = @userId or @userId = any(a.user_ids))))
        """;

    /// <summary>
    /// The thread's list as this service knows it, in the event's shape (to hand on to another service); null when
    /// unknown.
    /// </summary>
    public static async Task<TicketAccessChanged?> FindAsync(
        NpgsqlConnection connection, Guid ticketId, CancellationToken ct = default)
    {
        var row = await connection.QuerySingleOrDefaultAsync<AccessRow>(new CommandDefinition(
            """
            select company_id as CompanyId, creator_id as CreatorId, mode, user_ids as UserIds, version
            from ticket_access where ticket_id = @ticketId
            """, new { ticketId }, cancellationToken: ct));
        return row is null
            ? null
            : new TicketAccessChanged(
                Guid.Empty, DateTimeOffset.UtcNow, ticketId, row.CompanyId, row.Mode, row.UserIds, row.Version,
                row.CreatorId);
    }

    /// <summary>
    /// Stores a list unless a version as new or newer is already there: a repeat or a late arrival changes nothing.
    /// </summary>
    public static Task ApplyAsync(
        NpgsqlTransaction transaction, TicketAccessChanged changed, CancellationToken ct = default) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into ticket_access (ticket_id, company_id, creator_id, mode, user_ids, version)
            values (@TicketId, @CompanyId, @CreatorId, @Mode, @userIds, @Version)
            on conflict (ticket_id) do update set mode = excluded.mode, user_ids = excluded.user_ids,
                version = excluded.version
            where ticket_access.version < excluded.version
            """,
            new
            {
                changed.TicketId, changed.CompanyId, changed.CreatorId, changed.Mode,
                userIds = changed.UserIds.ToArray(), changed.Version
            },
            transaction, cancellationToken: ct));

    private sealed record AccessRow(Guid CompanyId, Guid CreatorId, string Mode, Guid[] UserIds, long Version);
}
