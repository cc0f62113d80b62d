using System.Text;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using Portal.AccessProjection;
using Portal.Tickets.Apis;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

public sealed record TicketSummary(
    Guid Id,
    long Number,
    string Title,
    string SubjectCode,
    Guid CompanyId,
    string Status,
    bool ActionRequired,
    bool Unread,
    DateTime CreatedAt,
    DateTime LastActivityAt,
    string? ClosedBy,
    [property: JsonIgnore] string LatestBody,
    [property: JsonIgnore] bool ForStaff,
    [property: JsonIgnore] string Team,
    [property: JsonIgnore] Guid? AssigneeId,
    [property: JsonIgnore] string? AssigneeName,
    [property: StaffOnly] DateTime? DueAt,
    [property: StaffOnly] bool Overdue,
    [property: StaffOnly] DateTime? FirstResponseAt) : IReaderAware
{
    /// <summary>The start of the latest message (<see cref="MessagePreview"/>), from what the query read.</summary>
    public string Preview { get; } = MessagePreview.Of(LatestBody);

    [StaffOnly]
    public AssignmentView Assignment => AssignmentView.Of(Team, AssigneeId, AssigneeName);
}

/// <summary>Staff list filters (docs/API.md, « Staff console »), already resolved to what they select.</summary>
/// <param name="Teams">Threads of any of these teams; null for every team.</param>
public sealed record StaffFilter(bool Unassigned, Guid? AssigneeId, IReadOnlyList<string>? Teams, bool Overdue)
{
    public static readonly StaffFilter None = new(false, null, null, false);
}

public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, string? NextCursor);

/// <summary>
/// The threads a reader may see, newest activity first, filtered and searched in one query that
/// the indexes serve, paged by an opaque keyset cursor (last activity, id).
/// </summary>
public sealed class TicketList(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly string[] Filters = ["unread", "action_required", "in_progress", "archived"];

    /// <summary>
    /// Below this many matching messages, a search starts from the words' index rather than from the newest threads.
    /// </summary>
    public const int RareSearchMessages = 500;

    public async Task<TicketPage> ListAsync(
        PortalUser reader,
        string? filter,
        string? search,
        int limit,
        (DateTime At, Guid Id)? after,
        Guid? companyId,
        StaffFilter staff,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rare = !string.IsNullOrWhiteSpace(search) && await IsRareAsync(connection, search, ct);
        var (sql, parameters) = Query(
            reader, filter, search, limit + 1, after, companyId, rare, staff, clock.GetUtcNow().UtcDateTime);
        var rows = (await connection.QueryAsync<TicketSummary>(
            new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
        var next = rows.Count > limit ? Cursor.Encode(rows[limit - 1].LastActivityAt, rows[limit - 1].Id) : null;
        return new TicketPage(rows.Take(limit).ToList(), next);
    }

    /// <summary>
    /// Whether few messages hold the words. PostgreSQL cannot tell (it estimates every rare word at
    /// 0.5% of the messages), so it is asked of the index itself, bounded: a rare word reads a short
    /// posting list, a common one stops at the bound.
    /// </summary>
    public static async Task<bool> IsRareAsync(NpgsqlConnection connection, string search, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            RareProbe, new { search, bound = RareSearchMessages }, cancellationToken: ct))
        < RareSearchMessages;

    public const string RareProbe =
        "select count(*) from (select 1 from messages where search @@ websearch_to_tsquery('french_unaccent', @search) "
            + "limit @bound) hits";

    /// <summary>The one query behind a page, public so that the benchmark explains exactly what is served.</summary>
    /// <param name="rareSearch">
    /// The words are in few messages: their threads are found first, then sorted; otherwise the newest
    /// threads are walked and their messages probed until the page is full.
    /// </param>
    public static (string Sql, object Parameters) Query(
        PortalUser reader,
        string? filter,
        string? search,
        int take,
        (DateTime At, Guid Id)? after,
        Guid? companyId,
        bool rareSearch = false,
        StaffFilter? staff = null,
        DateTime? now = null)
    {
        staff = reader.IsStaff ? staff ?? StaffFilter.None : StaffFilter.None;
        var conditions = new StringBuilder();
        if (!reader.IsStaff)
            conditions.Append(" and t.company_id = @CompanyId");
        else if (companyId is not null)
            conditions.Append(" and t.company_id = @companyFilter");
        conditions.Append(filter switch
        {
            "unread" => $" and {Unread(reader)}",
            "action_required" => $" and t.status = 'open' and {ActionRequired(reader)}",
            "in_progress" => " and t.status = 'open'",
            "archived" => " and t.status = 'closed'",
            _ => "",
        });
        if (staff.Unassigned)
            conditions.Append(" and t.assignee_id is null");
        if (staff.AssigneeId is not null)
            conditions.Append(" and t.assignee_id = @assigneeId");
        if (staff.Teams is not null)
            conditions.Append(" and t.team = any(@teams)");
        if (staff.Overdue)
            conditions.Append($" and {AwaitingAnswerPastDue}");
        var hits = "";
        if (!string.IsNullOrWhiteSpace(search) && rareSearch)
        {
            hits = "with hits as materialized (select distinct m.ticket_id from messages m "
                + "where m.search @@ websearch_to_tsquery('french_unaccent', @search))\n";
            conditions.Append(" and t.id in (select ticket_id from hits)");
        }
        else if (!string.IsNullOrWhiteSpace(search))
        {
            conditions.Append(" and t.id in (select m.ticket_id from messages m "
                + "where m.search @@ websearch_to_tsquery('french_unaccent', @search))");
        }
        if (after is not null)
            conditions.Append(" and (t.last_activity_at, t.id) < (@afterAt, @afterId)");

        return ($"""
            {hits}select t.id, t.number, t.title, t.subject_code as SubjectCode, t.company_id as CompanyId, t.status,
                   (t.status = 'open' and {ActionRequired(reader)}) as ActionRequired,
                   {Unread(reader)} as Unread,
                   t.created_at as CreatedAt, t.last_activity_at as LastActivityAt,
                   case when t.status = 'closed' then t.closed_by_side end as ClosedBy,
                   (select left(m.body, {MessagePreview.BodyPrefix}) from messages m where m.ticket_id = t.id
                    order by m.created_at desc, m.id desc limit 1) as LatestBody,
                   @IsStaff as ForStaff, t.team, t.assignee_id as AssigneeId, t.assignee_name as AssigneeName,
                   t.due_at as DueAt, {Overdue} as Overdue, t.first_response_at as FirstResponseAt
            from tickets t
            left join read_markers r on r.ticket_id = t.id and r.user_id = @UserId
            where {TicketAccess.VisibleTo("t.id")}{conditions}
            order by t.last_activity_at desc, t.id desc
            limit @take
            """,
            new
            {
                reader.UserId, reader.IsStaff, reader.CompanyId, companyFilter = companyId, search,
                afterAt = after?.At, afterId = after?.Id, take, assigneeId = staff.AssigneeId,
                teams = staff.Teams?.ToArray(), now = now ?? DateTime.UtcNow,
            });
    }

    /// <summary>
    /// Late: open, past its first-response target (<c>@now</c>), and the service has not answered yet.
    /// </summary>
    internal const string Overdue = $"coalesce({AwaitingAnswerPastDue}, false)";

    // The same, as a filter in the form of the partial index tickets_awaiting_answer: late threads are few, and are
    // found there instead of by walking every thread newest first.
    private const string AwaitingAnswerPastDue =
        "t.status = 'open' and t.first_response_at is null and t.due_at < @now";

    // Unread: the other side wrote after the reader last read the thread.
    internal static string Unread(PortalUser reader) =>
        $"coalesce({(reader.IsStaff ? "t.last_member_message_at" : "t.last_staff_message_at")} "
            + $"> coalesce(r.read_at, '-infinity'), false)";

    // Member: the latest message is the service's and requires a reply. Staff: the latest is a member's.
    internal static string ActionRequired(PortalUser reader) => reader.IsStaff
        ? "coalesce(t.last_message_side = 'member', false)"
        : "coalesce(t.last_message_side = 'staff' and t.last_message_requires_reply, false)";
}

/// <summary>The opaque cursor of a page: the last row's activity time and id.</summary>
public static class Cursor
{
    public static string Encode(DateTime at, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.Ticks}:{id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out (DateTime At, Guid Id) position)
    {
        position = default;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 100)
            return false;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks)
                || !Guid.TryParseExact(parts[1], "N", out var id)
                || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                return false;
            position = (new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
