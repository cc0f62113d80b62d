using Dapper;
using Npgsql;
using Portal.AccessProjection;
using Portal.Attachments.Model;
using Portal.Contracts;

namespace Portal.Attachments.Data;

public sealed record AttachmentRecord(
    Guid Id,
    Guid OwnerId,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string ScanState,
    Guid? TicketId,
    DateTime CreatedAt);

public sealed class AttachmentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, owner_id as OwnerId, file_name as FileName, content_type as ContentType, size, sha256, "
            + "scan_state as ScanState, ticket_id as TicketId, created_at as CreatedAt";

    public async Task AddAsync(AttachmentRecord record, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into attachments (id, owner_id, file_name, content_type, size, sha256, scan_state)
            values (@Id, @OwnerId, @FileName, @ContentType, @Size, @Sha256, @ScanState)
            """, record, cancellationToken: ct));
    }

    /// <summary>
    /// The file if this reader may download it: its uploader before it is bound to a message,
    /// afterwards whoever may see the thread. Pending or rejected files are served to nobody.
    /// </summary>
    public async Task<AttachmentRecord?> FindReadableAsync(
        Guid id, Guid userId, bool isStaff, Guid? companyId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AttachmentRecord>(new CommandDefinition(
            $"""
            select {Columns} from attachments f
            where f.id = @id and f.scan_state = 'clean'
              and ((f.ticket_id is null and f.owner_id = @userId)
                or (f.ticket_id is not null and {TicketAccess.VisibleTo("f.ticket_id")}))
            """, new { id, userId, isStaff, companyId }, cancellationToken: ct));
    }

    /// <summary>Of <paramref name="ids"/>, those the owner may attach: theirs, not yet bound, and clean.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> UsableAsync(
        Guid ownerId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<AttachmentRecord>(new CommandDefinition(
            $"select {Columns} from attachments where id = any(@ids) and owner_id = @ownerId and ticket_id is null "
                + $"and scan_state = 'clean'",
            new { ownerId, ids = ids.ToArray() }, cancellationToken: ct))).AsList();
    }

    /// <summary>Binds the author's unbound files to the accepted message; a repeat changes nothing.</summary>
    public static Task BindToMessageAsync(
        NpgsqlTransaction transaction, Guid ticketId, Guid messageId, Guid authorId, IReadOnlyList<Guid> attachmentIds,
        CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            update attachments set ticket_id = @ticketId, message_id = @messageId
            where id = any(@ids) and owner_id = @authorId and ticket_id is null
            """,
            new { ticketId, messageId, ids = attachmentIds.ToArray(), authorId }, transaction, cancellationToken: ct));

    /// <summary>
    /// Binds the files of a message Tickets has just accepted, with the thread's list as Tickets knows
    /// it (kept only if newer than this service's), so that whoever may see the thread can download
    /// them as soon as the message is answered 201. The event does the same later, as a backstop.
    /// </summary>
    public async Task BindFilesAsync(AttachmentBinding binding, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (binding.Access.TicketId == binding.TicketId)
            await TicketAccess.ApplyAsync(transaction, binding.Access, ct);
        await BindToMessageAsync(
            transaction, binding.TicketId, binding.MessageId, binding.AuthorId, binding.AttachmentIds, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Deletes up to <paramref name="limit"/> records no message named within <paramref name="olderThan"/>,
    /// oldest first, and answers their ids; a file a message is binding at this moment is left alone.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> DeleteOrphansAsync(TimeSpan olderThan, int limit, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(
            """
            delete from attachments where ticket_id is null and id in (
                select id from attachments where ticket_id is null and created_at < now() - @olderThan
                order by created_at limit @limit for update skip locked)
            returning id
            """, new { olderThan, limit }, cancellationToken: ct))).AsList();
    }
}
