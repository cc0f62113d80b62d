using Dapper;
using Npgsql;

namespace Portal.Tickets.Data;

/// <summary>
/// Each reader's unread count, kept by the database as threads change (<c>0003_unread_counts.sql</c>) rather than
/// counted over the threads at each ask: staff see every thread, and every live stream asks.
/// </summary>
public sealed class UnreadCounts(NpgsqlDataSource dataSource)
{
    /// <summary>The counter all staff share: the threads that hold a member message.</summary>
    public static readonly Guid StaffNews = Guid.Empty;

    public async Task<long> CountAsync(PortalUser reader, CancellationToken ct) =>
        (await CountsAsync([reader], ct))[0];

    /// <summary>The counts of several readers in one query, in their order.</summary>
    public async Task<IReadOnlyList<long>> CountsAsync(IReadOnlyList<PortalUser> readers, CancellationToken ct)
    {
        var (sql, parameters) = Query(readers);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: ct)))
            .AsList();
    }

    /// <summary>The query behind a count, public so that the benchmark explains exactly what is served.</summary>
    public static (string Sql, object Parameters) Query(params IReadOnlyList<PortalUser> readers) => (
        """
        select coalesce(sum(c.news) filter (where c.owner_id = r.shared or (c.owner_id = r.user_id and not r.staff)), 0)
            - coalesce(sum(c.caught_up) filter (where c.owner_id = r.user_id), 0)
        from unnest(@userIds, @shared, @staff) with ordinality as r (user_id, shared, staff, position)
        left join lateral (
            select owner_id, news, caught_up from unread_totals where owner_id in (r.shared, r.user_id)
            union all
            select owner_id, news, caught_up from unread_changes where owner_id in (r.shared, r.user_id)) c on true
        group by r.position
        order by r.position
        """,
        new
        {
            userIds = readers.Select(r => r.UserId).ToArray(),
            shared = readers.Select(r => r.IsStaff ? StaffNews : r.CompanyId).ToArray(),
            staff = readers.Select(r => r.IsStaff).ToArray(),
        });

    /// <summary>
    /// Folds the appended changes into the totals, so that a count reads a few rows. Instances side by side may
    /// fold at once: each deletes the rows it folds, and a row another has deleted is skipped.
    /// </summary>
    public async Task CompactAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            with folded as (delete from unread_changes returning owner_id, news, caught_up)
            insert into unread_totals (owner_id, news, caught_up)
            select owner_id, sum(news), sum(caught_up) from folded group by owner_id order by owner_id
            on conflict (owner_id) do update set news = unread_totals.news + excluded.news,
                caught_up = unread_totals.caught_up + excluded.caught_up
            """, cancellationToken: ct));
    }
}
