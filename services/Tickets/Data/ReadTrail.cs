using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

/// <summary>How long the read trail is kept (section <c>ReadTrail</c>).</summary>
public sealed class ReadTrailOptions
{
    public int RetentionDays { get; set; } = 365;

    /// <summary>Another opening by the same person within this window is the same visit (a reload).</summary>
    public TimeSpan SameVisit { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most lines a thread's trail answers with, newest first.</summary>
    public int MaxEntries { get; set; } = 5000;
}

/// <summary>The openings of threads (docs/DESIGN.md, « Read trail »); downloads are kept by Attachments.</summary>
public sealed class ReadTrail(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ReadTrailOptions> options)
{
    public async Task RecordOpeningAsync(Guid ticketId, PortalUser reader, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into thread_reads (ticket_id, user_id, user_name, side, company_id, at)
            select @ticketId, @UserId, @DisplayName, @Side, @CompanyId, @now
            where not exists (select 1 from thread_reads where user_id = @UserId and ticket_id = @ticketId
                and at > @visitStart)
            """,
            new
            {
                ticketId, reader.UserId, reader.DisplayName, reader.Side, reader.CompanyId, now,
                visitStart = now - options.Value.SameVisit,
            }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TrailEntry>> OpeningsAsync(Guid ticketId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<TrailEntry>(new CommandDefinition(
            """
            select user_id as UserId, user_name as DisplayName, side, company_id as CompanyId, 'thread' as What,
                null::uuid as AttachmentId, at
            from thread_reads where ticket_id = @ticketId order by at desc, id desc limit @limit
            """, new { ticketId, limit = options.Value.MaxEntries }, cancellationToken: ct))).AsList();
    }

    /// <summary>Deletes what is older than the retention period: the only way a line of the trail ever goes.</summary>
    public async Task PruneAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from thread_reads where at < @cutoff",
            new { cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays) },
            cancellationToken: ct));
    }
}
