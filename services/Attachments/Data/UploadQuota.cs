using Dapper;
using Npgsql;

namespace Portal.Attachments.Data;

/// <summary>
/// What a reservation allows: the bytes this upload may hold (0 when it may not start), and on which day it counts.
/// </summary>
public sealed record UploadReservation(DateOnly Day, long Bytes, bool FilesExhausted, bool BytesExhausted)
{
    public bool Granted => !FilesExhausted && !BytesExhausted;
}

/// <summary>
/// Each person's daily upload quota (files and bytes, Paris days). An upload reserves one file and
/// as many bytes as it may hold before it reads a byte, under the row's lock, so concurrent uploads
/// cannot pass the quota together; what it did not keep (all of it, when refused) is given back.
/// </summary>
public sealed class UploadQuota(NpgsqlDataSource dataSource)
{
    public async Task<UploadReservation> ReserveAsync(
        Guid ownerId, int maxFiles, long maxBytes, long maxFileSize, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var usage = await connection.QuerySingleAsync<(DateTime Day, int Files, long Bytes)>(new CommandDefinition(
            """
            insert into upload_usage (owner_id, day, files, bytes)
            values (@ownerId, (now() at time zone 'Europe/Paris')::date, 0, 0)
            on conflict (owner_id, day) do update set files = upload_usage.files
            returning day, files, bytes
            """, new { ownerId }, transaction, cancellationToken: ct));
        var day = DateOnly.FromDateTime(usage.Day);
        if (usage.Files >= maxFiles || usage.Bytes >= maxBytes)
            return new UploadReservation(day, 0, usage.Files >= maxFiles, usage.Bytes >= maxBytes);
        var bytes = Math.Min(maxFileSize, maxBytes - usage.Bytes);
        await connection.ExecuteAsync(new CommandDefinition(
            "update upload_usage set files = files + 1, bytes = bytes + @bytes "
                + "where owner_id = @ownerId and day = @day",
            new { ownerId, day = usage.Day, bytes }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return new UploadReservation(day, bytes, false, false);
    }

    /// <summary>
    /// Gives back what an upload reserved and did not keep: the unused bytes, and the file too when nothing was stored
    /// (0 bytes kept).
    /// </summary>
    public async Task GiveBackAsync(Guid ownerId, UploadReservation reservation, long keptBytes, CancellationToken ct)
    {
        var kept = keptBytes > 0;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update upload_usage set bytes = greatest(0, bytes - @unused), files = greatest(0, files - @file)
            where owner_id = @ownerId and day = @day
            """,
            new
            {
                ownerId,
                day = reservation.Day.ToDateTime(TimeOnly.MinValue),
                unused = reservation.Bytes - (kept ? keptBytes : 0),
                file = kept ? 0 : 1
            },
            cancellationToken: ct));
    }
}
