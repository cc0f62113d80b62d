using Dapper;
using Npgsql;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

/// <summary>One team's figures on the « Tableau de bord »; medians in minutes, null when none was measured.</summary>
public sealed record TeamStats(
    string Team,
    long Open,
    long Unassigned,
    long Overdue,
    double? MedianFirstResponseMinutes,
    double? MedianResolutionMinutes);

public sealed record ServiceStatsView(int Days, IReadOnlyList<TeamStats> Teams);

/// <summary>
/// Per team: what is open, unassigned and late now; over the period, the median time from a member's new thread
/// to the service's first answer, and from opening to closing (wall-clock minutes).
/// </summary>
public sealed class ServiceStats(NpgsqlDataSource dataSource, TimeProvider clock, Teams teams)
{
    public async Task<ServiceStatsView> ForAsync(int days, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<TeamStats>(new CommandDefinition(
            $"""
            with current as (
                select team, count(*) as open, count(*) filter (where assignee_id is null) as unassigned,
                    count(*) filter (where {TicketList.Overdue}) as overdue
                from tickets t where status = 'open' group by team),
            answered as (
                select team, percentile_cont(0.5) within group (
                    order by extract(epoch from first_response_at - created_at) / 60) as minutes
                from tickets where created_at >= @since and created_by_side = 'member'
                    and first_response_at is not null
                group by team),
            resolved as (
                select team, percentile_cont(0.5) within group (
                    order by extract(epoch from closed_at - created_at) / 60) as minutes
                from tickets where status = 'closed' and closed_at >= @since group by team)
            select t.team, coalesce(c.open, 0) as open, coalesce(c.unassigned, 0) as unassigned,
                coalesce(c.overdue, 0) as overdue, round(a.minutes::numeric, 1)::float8 as MedianFirstResponseMinutes,
                round(r.minutes::numeric, 1)::float8 as MedianResolutionMinutes
            from unnest(@codes) with ordinality as t (team, position)
            left join current c using (team) left join answered a using (team) left join resolved r using (team)
            order by t.position
            """,
            new { now, since = now.AddDays(-days), codes = teams.All.Select(t => t.Code).ToArray() },
            cancellationToken: ct))).AsList();
        return new ServiceStatsView(days, rows);
    }
}
