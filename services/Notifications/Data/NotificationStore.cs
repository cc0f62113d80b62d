using Dapper;
using Npgsql;
using Portal.AccessProjection;
using Portal.Contracts;
using Portal.Notifications.Model;

namespace Portal.Notifications.Data;

/// <param name="TraceParent">The W3C context of the event it came from, for the live push's span.</param>
public sealed record NotificationRow(
    long Seq,
    Guid Id,
    string Kind,
    Guid TicketId,
    long Number,
    string Title,
    DateTime CreatedAt,
    DateTime? ReadAt,
    string? TraceParent = null);

/// <summary>
/// The notifications, the directory and threads they are computed from, and the signal that wakes live streams.
/// </summary>
/// <summary>A notification as its signal carries it, so that live streams send it without reading it again.</summary>
public sealed record SignalPayload(
    Guid UserId, long Seq, Guid Id, string Kind, Guid TicketId, long Number, string Title, DateTimeOffset CreatedAt,
    string? TraceParent)
{
    public NotificationRow ToRow() => new(Seq, Id, Kind, TicketId, Number, Title, CreatedAt.UtcDateTime, null,
        TraceParent);
}

/// <summary>A thread with its current access list, and everyone who could be told about it.</summary>
public sealed record ThreadReach(ThreadAudience Thread, IReadOnlyList<DirectoryEntry> Directory);

/// <summary>What one event tells whom: the notifications to write for it.</summary>
public sealed record Notice(
    Guid SourceEventId,
    DateTimeOffset At,
    string Kind,
    ThreadAudience Thread,
    IReadOnlyList<DirectoryEntry> Recipients);

public sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The PostgreSQL channel every instance listens to; the payload is a new notification
    /// (<see cref="SignalPayload"/>), or a bare user id when only their unread count changed.
    /// </summary>
    public const string Channel = "portal_notifications";

    private const string Columns =
        "seq, id, kind, ticket_id as TicketId, number, title, created_at as CreatedAt, read_at as ReadAt, "
            + "trace_parent as TraceParent";

    public static Task UpsertUserAsync(
        NpgsqlTransaction transaction, DirectoryUserChanged user, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            """
            insert into directory_users (user_id, email, display_name, role, company_id, active, updated_at)
            values (@UserId, @Email, @DisplayName, @Role, @CompanyId, @Active, @OccurredAt)
            on conflict (user_id) do update set email = excluded.email, display_name = excluded.display_name,
                role = excluded.role, company_id = excluded.company_id, active = excluded.active,
                updated_at = excluded.updated_at
            where directory_users.updated_at <= excluded.updated_at
            """, user, transaction, cancellationToken: ct));

    public static Task AddThreadAsync(NpgsqlTransaction transaction, TicketOpened opened, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into threads (ticket_id, number, title, company_id) "
                + "values (@TicketId, @Number, @Title, @CompanyId) on conflict do nothing",
            new { opened.TicketId, opened.Number, opened.Title, opened.CompanyId }, transaction,
            cancellationToken: ct));

    /// <summary>
    /// The threads with their current access lists, each with everyone who could be told about it (its company's
    /// active members and every active staff user), in one round trip. A thread whose TicketOpened has not arrived
    /// yet is missing.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, ThreadReach>> ReachAsync(
        NpgsqlTransaction transaction, IEnumerable<Guid> ticketIds, CancellationToken ct)
    {
        await using var results = await transaction.Connection!.QueryMultipleAsync(new CommandDefinition(
            """
            select t.ticket_id as TicketId, t.number, t.title, t.company_id as CompanyId, a.mode, a.user_ids as UserIds,
                a.creator_id as CreatorId
            from threads t join ticket_access a on a.ticket_id = t.ticket_id
            where t.ticket_id = any(@ticketIds);
            select user_id as UserId, email, display_name as DisplayName, role, company_id as CompanyId
            from directory_users
            where active and (role = 'staff' or (role = 'member'
                and company_id in (select company_id from threads where ticket_id = any(@ticketIds))))
            """, new { ticketIds = ticketIds.Distinct().ToArray() }, transaction, cancellationToken: ct));
        var threads = (await results.ReadAsync<ThreadAudience>()).AsList();
        var people = (await results.ReadAsync<DirectoryEntry>()).AsList();
        return threads.ToDictionary(thread => thread.TicketId, thread => new ThreadReach(thread,
            people.Where(p => p.Role == PortalClaims.StaffRole || p.CompanyId == thread.CompanyId).ToList()));
    }

    /// <summary>
    /// Records the notifications of one or more events (a repeat adds nothing), queues an e-mail for each
    /// member whose preference allows it and who had none for this thread within the quiet period (and wakes the
    /// e-mail senders), and hands each notification to the recipients' live streams on every instance when the
    /// transaction commits; also wakes the streams of <paramref name="countsChanged"/>, people whose unread count
    /// changed without a notification. All of it in one round trip.
    /// </summary>
    public static Task NotifyAsync(
        NpgsqlTransaction transaction,
        IReadOnlyList<Notice> notices,
        TimeSpan quietPeriod,
        CancellationToken ct,
        IEnumerable<Guid>? countsChanged = null)
    {
        var told = notices.SelectMany(n => n.Recipients.Select(r => (Notice: n, Recipient: r))).ToList();
        var mailed = told.Where(t => t.Recipient.Role == PortalClaims.MemberRole).ToList();
        // The consumed event's trace: the live push and the e-mail send join it.
        var traceParent = Story.Current();
        return transaction.Connection!.ExecuteAsync(new CommandDefinition(
            $"""
            select count(pg_notify(@Channel, u::text)) from unnest(@woken) u;
            {TurnsSql};
            with told as (
                insert into notifications (id, user_id, kind, ticket_id, number, title, source_event_id, created_at,
                    trace_parent)
                select r.id, r.user_id, r.kind, r.ticket_id, r.number, r.title, r.source_event_id, r.created_at,
                    @traceParent
                from unnest(@ids, @userIds, @kinds, @ticketIds, @numbers, @titles, @sourceEventIds, @ats)
                    as r (id, user_id, kind, ticket_id, number, title, source_event_id, created_at)
                on conflict (source_event_id, user_id) do nothing
                returning seq, id, user_id, kind, ticket_id, number, title, created_at, trace_parent, source_event_id),
            -- A member is e-mailed unless they turned e-mail off, or had one for this thread within the quiet period
            -- (claimed atomically, across instances): at most one for a thread in one batch.
            wanted as (
                select distinct on (m.user_id, m.ticket_id) m.id, t.id as notification_id, m.user_id, m.ticket_id,
                    m.address, m.at
                from unnest(@mailIds, @mailUserIds, @mailEventIds, @mailTicketIds, @mailAddresses, @mailAts)
                    as m (id, user_id, source_event_id, ticket_id, address, at)
                join told t on t.user_id = m.user_id and t.source_event_id = m.source_event_id
                where not exists (select 1 from preferences p where p.user_id = m.user_id and not p.email)
                order by m.user_id, m.ticket_id, m.at),
            claimed as (
                insert into email_quiet (user_id, ticket_id, last_email_at)
                select user_id, ticket_id, at from wanted
                on conflict (user_id, ticket_id) do update set last_email_at = excluded.last_email_at
                where email_quiet.last_email_at <= excluded.last_email_at - @quietPeriod
                returning user_id, ticket_id),
            queued as (
                insert into email_deliveries (id, notification_id, user_id, ticket_id, address, trace_parent)
                select w.id, w.notification_id, w.user_id, w.ticket_id, w.address, @traceParent
                from wanted w join claimed c on c.user_id = w.user_id and c.ticket_id = w.ticket_id
                returning 1)
            select count(*) from told
            where pg_notify(@Channel, json_build_object('userId', user_id, 'seq', seq, 'id', id, 'kind', kind,
                'ticketId', ticket_id, 'number', number, 'title', title, 'createdAt', created_at,
                'traceParent', trace_parent)::text) is not null
            union all
            select count(pg_notify(@EmailChannel, '')) from (select 1 from queued limit 1) q
            """,
            new
            {
                Channel,
                EmailChannel = EmailDeliveryStore.Channel,
                woken = (countsChanged ?? []).Distinct().ToArray(),
                keys = TurnKeys(told.Select(t => t.Recipient)),
                ids = told.Select(_ => Guid.CreateVersion7()).ToArray(),
                userIds = told.Select(t => t.Recipient.UserId).ToArray(),
                kinds = told.Select(t => t.Notice.Kind).ToArray(),
                ticketIds = told.Select(t => t.Notice.Thread.TicketId).ToArray(),
                numbers = told.Select(t => t.Notice.Thread.Number).ToArray(),
                titles = told.Select(t => t.Notice.Thread.Title).ToArray(),
                sourceEventIds = told.Select(t => t.Notice.SourceEventId).ToArray(),
                ats = told.Select(t => t.Notice.At.UtcDateTime).ToArray(),
                traceParent,
                mailIds = mailed.Select(_ => Guid.CreateVersion7()).ToArray(),
                mailUserIds = mailed.Select(m => m.Recipient.UserId).ToArray(),
                mailEventIds = mailed.Select(m => m.Notice.SourceEventId).ToArray(),
                mailTicketIds = mailed.Select(m => m.Notice.Thread.TicketId).ToArray(),
                mailAddresses = mailed.Select(m => m.Recipient.Email).ToArray(),
                mailAts = mailed.Select(m => m.Notice.At.UtcDateTime).ToArray(),
                quietPeriod,
            },
            transaction, cancellationToken: ct));
    }

    /// <summary>
    /// One writer at a time per person, until commit: a live stream sends what follows the last
    /// number it sent, so a person's notifications must commit in the order of their numbers (two
    /// writers could otherwise commit 101 before 100, and a stream that sent 101 would never send
    /// 100). Locks are taken in one order, so two writers never wait for each other in a circle.
    /// </summary>
    private const string TurnsSql = "select count(pg_advisory_xact_lock(k)) from unnest(@keys) k";

    private static long[] TurnKeys(IEnumerable<DirectoryEntry> recipients) =>
        recipients.Select(r => BitConverter.ToInt64(r.UserId.ToByteArray())).Distinct().Order().ToArray();

    /// <summary>
    /// Wakes these users' live streams on every instance, for a change of their unread count that made no
    /// notification.
    /// </summary>
    public static Task SignalAsync(
        NpgsqlConnection connection, IEnumerable<Guid> userIds, NpgsqlTransaction? transaction, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "select count(pg_notify(@Channel, u::text)) from unnest(@users) u",
            new { Channel, users = userIds.Distinct().ToArray() }, transaction, cancellationToken: ct));

    // Notifications follow access: a thread the reader may no longer see takes its notifications with it.
    private static readonly string Visible = TicketAccess.VisibleTo("notifications.ticket_id");

    public async Task<IReadOnlyList<NotificationRow>> ListAsync(
        PortalUser reader, bool unreadOnly, int take, long? beforeSeq, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<NotificationRow>(new CommandDefinition(
            $"""
            select {Columns} from notifications
            where user_id = @userId and {Visible}
                {(unreadOnly ? " and read_at is null" : "")}{(beforeSeq is null ? "" : " and seq < @beforeSeq")}
            order by seq desc limit @take
            """,
            new { userId = reader.UserId, isStaff = reader.IsStaff, companyId = reader.CompanyId, take, beforeSeq },
            cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// The reader's notifications after <paramref name="afterSeq"/>, oldest first: what a live stream has not sent yet.
    /// </summary>
    public async Task<IReadOnlyList<NotificationRow>> SinceAsync(
        PortalUser reader, long afterSeq, int take, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<NotificationRow>(new CommandDefinition(
            $"select {Columns} from notifications where user_id = @userId and {Visible} "
                + $"and seq > @afterSeq order by seq limit @take",
            new { userId = reader.UserId, isStaff = reader.IsStaff, companyId = reader.CompanyId, afterSeq, take },
            cancellationToken: ct))).AsList();
    }

    public async Task<long> LatestSeqAsync(Guid userId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select seq from notifications where user_id = @userId order by seq desc limit 1", new { userId },
            cancellationToken: ct)) ?? 0;
    }

    /// <summary>
    /// False when the notification is not the reader's, is about a thread they may no longer see, or does not exist.
    /// </summary>
    public async Task<bool> MarkReadAsync(PortalUser reader, Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"update notifications set read_at = coalesce(read_at, now()) where id = @id and user_id = @userId "
                + $"and {Visible}",
            new { id, userId = reader.UserId, isStaff = reader.IsStaff, companyId = reader.CompanyId },
            cancellationToken: ct)) == 1;
    }
}
