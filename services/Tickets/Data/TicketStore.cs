using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.AccessProjection;
using Portal.Contracts;
using Portal.Messaging;
using Microsoft.Extensions.Options;
using Portal.Tickets.Model;

namespace Portal.Tickets.Data;

public sealed record TicketRow(
    Guid Id, long Number, Guid CompanyId, string SubjectCode, string Title, Guid CreatedBy, string CreatedBySide,
    string Status, DateTime CreatedAt, DateTime LastActivityAt,
    Guid? ClosedBy = null, string? ClosedByName = null, string? ClosedBySide = null, string? ClosureReason = null,
    string? ClosureMessage = null, DateTime? ClosedAt = null, string Team = "", Guid? AssigneeId = null,
    string? AssigneeName = null, DateTime? DueAt = null, DateTime? FirstResponseAt = null)
{
    public LifecycleState Lifecycle => new(Status == "open", CreatedBy, ClosedBy, ClosedBySide);
}

public sealed record PlaceholderSource(Guid CompanyId, long Number, string? MemberName);

public sealed record TicketAccessRow(string Mode, Guid[] UserIds, Guid CreatorId);

/// <summary>
/// A thread as one reader sees it; its flags come from the same SQL as the lists' (<see cref="TicketList"/>).
/// </summary>
/// <param name="Messages">One page, oldest first: the newest ones, or those before the asked cursor.</param>
/// <param name="EarlierCursor">Where the page before this one starts, when there is one.</param>
/// <param name="Notes">The internal notes, oldest first, for staff; null for a member.</param>
public sealed record TicketDetail(
    TicketRow Ticket,
    IReadOnlyList<ThreadMessage> Messages,
    string? EarlierCursor,
    bool Unread,
    bool ActionRequired,
    TicketAccessRow Access,
    IReadOnlyList<InternalNote>? Notes,
    bool Overdue);

public sealed class TicketStore(
    NpgsqlDataSource dataSource, TimeProvider clock, Teams teams, IOptions<ServiceLevelOptions> serviceLevels)
{
    private const string TicketColumns = """
        id, number, company_id as CompanyId, subject_code as SubjectCode, title, created_by as CreatedBy,
        created_by_side as CreatedBySide, status, created_at as CreatedAt, last_activity_at as LastActivityAt,
        closed_by as ClosedBy, closed_by_name as ClosedByName, closed_by_side as ClosedBySide,
        closure_reason as ClosureReason, closure_message as ClosureMessage, closed_at as ClosedAt, team,
        assignee_id as AssigneeId, assignee_name as AssigneeName, due_at as DueAt, first_response_at as FirstResponseAt
        """;

    public async Task<TicketRow> OpenAsync(
        Guid ticketId,
        NewTicket request,
        Guid companyId,
        PortalUser author,
        AccessListView access,
        IReadOnlyList<AttachedFile> attachments,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var subject = Subjects.Find(request.SubjectCode)!;
        var messageId = Guid.CreateVersion7();
        var attachmentIds = attachments.Select(a => a.Id).ToArray();
        var userIds = (request.Visibility!.UserIds ?? []).Distinct().ToArray();
        var team = teams.OfSubject(subject.Code).Code;
        // The service owes a first answer to what members open, not to what it opens itself.
        DateTime? dueAt = author.IsStaff
            ? null
            : WorkingCalendar.AddWorkingDays(now, serviceLevels.Value.TargetOf(subject.Code)).UtcDateTime;

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await connection.QuerySingleAsync<TicketRow>(new CommandDefinition(
            $"""
            insert into tickets (id, company_id, subject_code, title, created_by, created_by_side, created_at,
                last_activity_at, team, due_at)
            values (@ticketId, @companyId, @Code, @Label, @UserId, @Side, @now, @now, @team, @dueAt)
            returning {TicketColumns}
            """,
            new { ticketId, companyId, subject.Code, subject.Label, author.UserId, author.Side, now, team, dueAt },
            transaction,
            cancellationToken: ct));
        // The creator sees the thread at once: the projection starts from the list Access registered.
        await TicketAccess.ApplyAsync(transaction, new TicketAccessChanged(
            Guid.CreateVersion7(), now, ticketId, companyId, access.Mode, access.Users.Select(u => u.Id).ToList(),
            Version: 1, access.CreatorId), ct);

        var actor = new Actor(author.UserId, author.Side);
        await ExecuteAsync(transaction, ct,
            [
                .. MessageCommands(messageId, ticketId, author, request.Body!, request.RequiresReply, attachments, now,
                    title: subject.Label),
                MarkReadCommand(ticketId, author, now),
                Outbox.Command(transaction, new TicketOpened(
                    Guid.CreateVersion7(), now, ticketId, ticket.Number, companyId, subject.Code, actor,
                    new Visibility(request.Visibility.Mode!, userIds), subject.Label)),
                Outbox.Command(transaction, new MessagePosted(
                    Guid.CreateVersion7(), now, ticketId, messageId, companyId, actor, request.RequiresReply,
                    attachmentIds, OpensThread: true)),
            ]);
        await transaction.CommitAsync(ct);
        return ticket;
    }

    /// <summary>
    /// The thread with one page of its messages (the newest <paramref name="pageSize"/>, or those just
    /// before <paramref name="before"/>) and the reader's flags, or null when the reader may not see it.
    /// </summary>
    public async Task<TicketDetail?> FindAsync(
        Guid ticketId, PortalUser reader, int pageSize, (DateTime At, Guid Id)? before, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var ticket = await connection.QuerySingleOrDefaultAsync<TicketRow>(new CommandDefinition(
            $"""
            select {TicketColumns}
            from tickets t where t.id = @ticketId and {TicketAccess.VisibleTo("t.id")}
            """, new { ticketId, reader.UserId, reader.IsStaff, reader.CompanyId }, cancellationToken: ct));
        if (ticket is null)
            return null;

        var messages = (await connection.QueryAsync<MessageRow>(new CommandDefinition(
            """
            select id, author_id as AuthorId, author_name as AuthorName, author_side as AuthorSide, body,
                requires_reply as RequiresReply, attachments::text as Attachments, created_at as CreatedAt
            from messages
            where ticket_id = @ticketId
                and (@beforeAt::timestamptz is null or (created_at, id) < (@beforeAt::timestamptz, @beforeId))
            order by created_at desc, id desc limit @limit
            """,
            new { ticketId, beforeAt = before?.At, beforeId = before?.Id ?? Guid.Empty, limit = pageSize + 1 },
            cancellationToken: ct))).Select(m => m.ToMessage()).ToList();
        string? earlier = null;
        if (messages.Count > pageSize)
        {
            messages.RemoveAt(pageSize);
            earlier = Cursor.Encode(messages[^1].CreatedAt, messages[^1].Id);
        }
        messages.Reverse();

        var state = await connection.QuerySingleAsync<ReaderState>(new CommandDefinition(
            $"""
            select {TicketList.Unread(reader)} as Unread,
                t.status = 'open' and {TicketList.ActionRequired(reader)} as ActionRequired,
                a.mode, a.user_ids as UserIds, a.creator_id as CreatorId, {TicketList.Overdue} as Overdue
            from tickets t
            join ticket_access a on a.ticket_id = t.id
            left join read_markers r on r.ticket_id = t.id and r.user_id = @UserId
            where t.id = @ticketId
            """, new { ticketId, reader.UserId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        var notes = reader.IsStaff
            ? (await connection.QueryAsync<InternalNote>(new CommandDefinition(
                """
                select id, author_id as AuthorId, author_name as AuthorName, body, created_at as CreatedAt
                from notes where ticket_id = @ticketId order by created_at, id
                """, new { ticketId }, cancellationToken: ct))).AsList()
            : null;
        return new TicketDetail(ticket, messages, earlier, state.Unread, state.ActionRequired,
            new TicketAccessRow(state.Mode, state.UserIds, state.CreatorId), notes, state.Overdue);
    }

    /// <summary>
    /// Adds a staff member's internal note to a thread, or null when there is no such thread. A note is no activity
    /// of the thread: nothing a member sees moves.
    /// </summary>
    public async Task<InternalNote?> AddNoteAsync(Guid ticketId, PortalUser author, string body, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<InternalNote>(new CommandDefinition(
            """
            insert into notes (id, ticket_id, author_id, author_name, body, created_at)
            select @id, t.id, @UserId, @DisplayName, @body, @now from tickets t where t.id = @ticketId
            returning id, author_id as AuthorId, author_name as AuthorName, body, created_at as CreatedAt
            """,
            new { id = Guid.CreateVersion7(), ticketId, author.UserId, author.DisplayName, body,
                now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: ct));
    }

    public enum AssignOutcome { Assigned, Unchanged, NotFound }

    /// <summary>
    /// Routes a thread to <paramref name="team"/> and <paramref name="assignee"/> (already checked to be of it), with
    /// its event; an assignment that changes nothing publishes nothing. Not activity: nothing a member sees moves.
    /// </summary>
    public async Task<AssignOutcome> AssignAsync(
        Guid ticketId, PortalUser actor, string team, StaffMember? assignee, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await connection.QuerySingleOrDefaultAsync<(Guid CompanyId, string Team, Guid? AssigneeId)>(
            new CommandDefinition(
                "select company_id, team, assignee_id from tickets where id = @ticketId for no key update",
                new { ticketId }, transaction, cancellationToken: ct));
        if (ticket == default)
            return AssignOutcome.NotFound;
        if (ticket.Team == team && ticket.AssigneeId == assignee?.Id)
            return AssignOutcome.Unchanged;
        await connection.ExecuteAsync(new CommandDefinition(
            "update tickets set team = @team, assignee_id = @id, assignee_name = @name where id = @ticketId",
            new { ticketId, team, id = assignee?.Id, name = assignee?.DisplayName }, transaction,
            cancellationToken: ct));
        await Outbox.EnqueueAsync(transaction, new TicketAssigned(
            Guid.CreateVersion7(), clock.GetUtcNow(), ticketId, ticket.CompanyId, team, assignee?.Id, actor.UserId),
            ct);
        await transaction.CommitAsync(ct);
        return AssignOutcome.Assigned;
    }

    /// <summary>A thread's company, number and the member who last wrote in it (null when none did).</summary>
    public async Task<PlaceholderSource?> PlaceholderSourceAsync(Guid ticketId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PlaceholderSource>(new CommandDefinition(
            """
            select t.company_id as CompanyId, t.number, (select m.author_name from messages m
                where m.ticket_id = t.id and m.author_side = 'member' order by m.created_at desc, m.id desc limit 1)
                as MemberName
            from tickets t where t.id = @ticketId
            """, new { ticketId }, cancellationToken: ct));
    }

    /// <summary>The thread's access list as projected here.</summary>
    public async Task<TicketAccessChanged?> AccessOfAsync(Guid ticketId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await TicketAccess.FindAsync(connection, ticketId, ct);
    }

    public enum PostOutcome { Posted, NotFound, Closed }

    /// <summary>Adds a message to an open thread the author may see, under a row lock, with its event.</summary>
    public async Task<(PostOutcome Outcome, ThreadMessage? Message)> PostMessageAsync(
        Guid ticketId,
        PortalUser author,
        string body,
        bool requiresReply,
        IReadOnlyList<AttachedFile> attachments,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // "No key update", the lock an update takes, not "update": a reader's marker checks its key (for key
        // share) while holding the thread's unread turn (0003_unread_counts.sql), which this post then waits for.
        var ticket = await connection.QuerySingleOrDefaultAsync<(Guid CompanyId, string Status)>(new CommandDefinition(
            $"select t.company_id, t.status from tickets t "
                + $"where t.id = @ticketId and {TicketAccess.VisibleTo("t.id")} for no key update of t",
            new { ticketId, author.UserId, author.IsStaff, author.CompanyId }, transaction, cancellationToken: ct));
        if (ticket == default)
            return (PostOutcome.NotFound, null);
        if (ticket.Status != "open")
            return (PostOutcome.Closed, null);

        var now = clock.GetUtcNow().UtcDateTime;
        var messageId = Guid.CreateVersion7();
        await ExecuteAsync(transaction, ct,
            [
                .. MessageCommands(messageId, ticketId, author, body, requiresReply, attachments, now),
                MarkReadCommand(ticketId, author, now),
                Outbox.Command(transaction, new MessagePosted(
                    Guid.CreateVersion7(), now, ticketId, messageId, ticket.CompanyId,
                    new Actor(author.UserId, author.Side), requiresReply, attachments.Select(a => a.Id).ToList())),
            ]);
        await transaction.CommitAsync(ct);
        return (PostOutcome.Posted, new ThreadMessage(
            messageId, author.UserId, author.DisplayName, author.Side, body, requiresReply, attachments, now));
    }

    public enum ChangeOutcome { Changed, NotFound, Forbidden, Conflict }

    /// <summary>
    /// Closes or reopens a thread the actor may see, under a row lock, by the rules of <see cref="TicketLifecycle"/>.
    /// </summary>
    public async Task<ChangeOutcome> ChangeStatusAsync(
        Guid ticketId, PortalUser actor, CloseRequest? closing, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ticket = await connection.QuerySingleOrDefaultAsync<
            (Guid CompanyId, string Status, Guid CreatedBy, Guid? ClosedBy, string? ClosedBySide)>(
            new CommandDefinition($"""
            select t.company_id, t.status, t.created_by, t.closed_by, t.closed_by_side from tickets t
            where t.id = @ticketId and {TicketAccess.VisibleTo("t.id")} for no key update of t
            """, new { ticketId, actor.UserId, actor.IsStaff, actor.CompanyId }, transaction, cancellationToken: ct));
        if (ticket == default)
            return ChangeOutcome.NotFound;

        var state = new LifecycleState(ticket.Status == "open", ticket.CreatedBy, ticket.ClosedBy, ticket.ClosedBySide);
        var transition = closing is null
            ? TicketLifecycle.Reopen(state, actor.UserId, actor.IsStaff)
            : TicketLifecycle.Close(state, actor.UserId, actor.IsStaff);
        if (transition != Transition.Allowed)
            return transition == Transition.Conflict ? ChangeOutcome.Conflict : ChangeOutcome.Forbidden;

        var now = clock.GetUtcNow().UtcDateTime;
        var by = new Actor(actor.UserId, actor.Side);
        if (closing is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update tickets set status = 'closed', last_activity_at = @now, closed_by = @UserId,
                    closed_by_name = @DisplayName, closed_by_side = @Side, closure_reason = @Reason,
                    closure_message = @Message, closed_at = @now
                where id = @ticketId
                """,
                new
                {
                    ticketId, now, actor.UserId, actor.DisplayName, actor.Side, closing.Reason,
                    Message = closing.Message ?? ""
                },
                transaction, cancellationToken: ct));
            await Outbox.EnqueueAsync(transaction, new TicketClosed(
                Guid.CreateVersion7(), now, ticketId, ticket.CompanyId, by, closing.Reason!), ct);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update tickets set status = 'open', last_activity_at = @now where id = @ticketId",
                new { ticketId, now }, transaction, cancellationToken: ct));
            await Outbox.EnqueueAsync(transaction, new TicketReopened(
                Guid.CreateVersion7(), now, ticketId, ticket.CompanyId, by), ct);
        }
        await transaction.CommitAsync(ct);
        return ChangeOutcome.Changed;
    }

    /// <summary>Marks every message read for the reader; false when they may not see the thread.</summary>
    public async Task<bool> MarkReadAsync(Guid ticketId, PortalUser reader, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!await IsVisibleAsync(connection, ticketId, reader, ct))
            return false;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await ExecuteAsync(transaction, ct,
            [
                MarkReadCommand(ticketId, reader, now),
                Outbox.Command(transaction, new TicketRead(Guid.CreateVersion7(), now, ticketId, reader.UserId)),
            ]);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<bool> IsVisibleAsync(Guid ticketId, PortalUser reader, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await IsVisibleAsync(connection, ticketId, reader, ct);
    }

    private static Task<bool> IsVisibleAsync(
        NpgsqlConnection connection, Guid ticketId, PortalUser reader, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"select exists (select 1 from tickets t where t.id = @ticketId and {TicketAccess.VisibleTo("t.id")})",
            new { ticketId, reader.UserId, reader.IsStaff, reader.CompanyId }, cancellationToken: ct));

    /// <summary>
    /// Sends the statements in one round trip: a post or an opening, with its read marker and its events, costs one
    /// exchange with the server after its checks, not one per statement.
    /// </summary>
    private static async Task ExecuteAsync(
        NpgsqlTransaction transaction, CancellationToken ct, IEnumerable<NpgsqlBatchCommand> commands)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var command in commands)
            batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The message, with its own search vector (the opening message also carries the thread's title, weight A), and
    /// its thread's latest activity.
    /// </summary>
    private static NpgsqlBatchCommand[] MessageCommands(
        Guid messageId,
        Guid ticketId,
        PortalUser author,
        string body,
        bool requiresReply,
        IReadOnlyList<AttachedFile> attachments,
        DateTime at,
        string? title = null) =>
    [
        Command(
            """
            insert into messages (id, ticket_id, author_id, author_name, author_side, body, requires_reply,
                attachment_ids, attachments, created_at, search)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10,
                setweight(to_tsvector('french_unaccent', coalesce($11, '')), 'A')
                    || to_tsvector('french_unaccent', $6))
            """,
            Value(messageId), Value(ticketId), Value(author.UserId), Value(author.DisplayName), Value(author.Side),
            Value(body), Value(requiresReply), Value(attachments.Select(a => a.Id).ToArray()),
            Value(JsonSerializer.Serialize(attachments, JsonSerializerOptions.Web)), Value(at), Value(title)),
        Command(
            $"""
            update tickets set last_activity_at = $1, last_{author.Side}_message_at = $1,
                last_message_side = $2, last_message_requires_reply = $3{(author.IsStaff
                    ? ", first_response_at = coalesce(first_response_at, $1)" : "")}
            where id = $4
            """,
            Value(at), Value(author.Side), Value(requiresReply), Value(ticketId)),
    ];

    private static NpgsqlBatchCommand MarkReadCommand(Guid ticketId, PortalUser reader, DateTime at) => Command(
        """
        insert into read_markers (ticket_id, user_id, side, read_at) values ($1, $2, $3, $4)
        on conflict (user_id, ticket_id) do update set read_at = excluded.read_at
        where read_markers.read_at < excluded.read_at
        """, Value(ticketId), Value(reader.UserId), Value(reader.Side), Value(at));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private sealed record MessageRow(
        Guid Id,
        Guid AuthorId,
        string AuthorName,
        string AuthorSide,
        string Body,
        bool RequiresReply,
        string Attachments,
        DateTime CreatedAt)
    {
        public ThreadMessage ToMessage() => new(Id, AuthorId, AuthorName, AuthorSide, Body, RequiresReply,
            JsonSerializer.Deserialize<AttachedFile[]>(Attachments, JsonSerializerOptions.Web)!, CreatedAt);
    }

    private sealed record ReaderState(
        bool Unread, bool ActionRequired, string Mode, Guid[] UserIds, Guid CreatorId, bool Overdue);
}
