using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Attachments.Data;

/// <summary>How long downloads are remembered (section <c>ReadTrail</c>, as in Tickets).</summary>
public sealed class ReadTrailOptions
{
    public int RetentionDays { get; set; } = 365;

    /// <summary>The most lines a thread's downloads answer with, newest first.</summary>
    public int MaxEntries { get; set; } = 5000;
}

/// <summary>A download as Tickets merges it into a thread's read trail.</summary>
public sealed record DownloadEntry(
    Guid UserId, string DisplayName, string Side, Guid? CompanyId, string What, Guid? AttachmentId, DateTime At);

/// <summary>The downloads of threads' files (docs/DESIGN.md, « Read trail »); openings are kept by Tickets.</summary>
public sealed class DownloadTrail(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ReadTrailOptions> options)
{
    public async Task RecordAsync(Guid attachmentId, Guid ticketId, PortalUser reader, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into downloads (attachment_id, ticket_id, user_id, user_name, side, company_id, at)
            values (@attachmentId, @ticketId, @UserId, @DisplayName, @Side, @CompanyId, @now)
            """,
            new
            {
                attachmentId, ticketId, reader.UserId, reader.DisplayName, reader.Side, reader.CompanyId,
                now = clock.GetUtcNow().UtcDateTime,
            }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<DownloadEntry>> ForTicketAsync(Guid ticketId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<DownloadEntry>(new CommandDefinition(
            """
            select user_id as UserId, user_name as DisplayName, side, company_id as CompanyId, 'attachment' as What,
                attachment_id as AttachmentId, at
            from downloads where ticket_id = @ticketId order by at desc, id desc limit @limit
            """, new { ticketId, limit = options.Value.MaxEntries }, cancellationToken: ct))).AsList();
    }

    /// <summary>Deletes what is older than the retention period: the only way a line of the trail ever goes.</summary>
    public async Task PruneAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "delete from downloads where at < @cutoff",
            new { cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays) },
            cancellationToken: ct));
    }
}
