using Dapper;
using Npgsql;
using Portal.Messaging.Monitoring;
using Portal.Notifications.Email;

namespace Portal.Notifications.Data;

/// <summary>
/// The queued e-mails. Due ones are claimed with <c>FOR UPDATE SKIP LOCKED</c> in the sender's
/// transaction, so two instances never send the same one; every attempt is recorded.
/// </summary>
public static class EmailDeliveryStore
{
    /// <summary>The PostgreSQL channel that wakes the senders when a transaction that queued e-mails commits.</summary>
    public const string Channel = "portal_email";

    /// <summary>How many e-mails wait to be sent (due now or after a failure), sampled as a gauge.</summary>
    public static readonly DatabaseGauge Waiting = new("portal.emails.waiting", "{email}",
        "E-mails waiting to be sent (due now or after a failure).",
        "select count(*) from email_deliveries where status = 'pending'");

    /// <summary>
    /// Up to <paramref name="batchSize"/> deliveries due at <paramref name="now"/>, locked for this transaction.
    /// </summary>
    public static async Task<IReadOnlyList<DueEmail>> ClaimDueAsync(
        NpgsqlTransaction transaction, DateTimeOffset now, int batchSize, CancellationToken ct) =>
        (await transaction.Connection!.QueryAsync<DueEmail>(new CommandDefinition(
            """
            select d.id, d.address, n.kind, n.ticket_id as TicketId, n.number, n.title, d.attempts,
                d.trace_parent as TraceParent
            from email_deliveries d join notifications n on n.id = d.notification_id
            where d.status = 'pending' and d.next_attempt_at <= @now
                -- A person deactivated since is told nothing more.
                and not exists (select 1 from directory_users u where u.user_id = n.user_id and not u.active)
            order by d.next_attempt_at limit @batchSize
            for update of d skip locked
            """, new { now = now.UtcDateTime, batchSize }, transaction, cancellationToken: ct))).AsList();

    /// <summary>
    /// When the first e-mail not due at <paramref name="now"/> falls due (after a failed attempt); null when none
    /// waits.
    /// </summary>
    public static async Task<DateTimeOffset?> NextDueAfterAsync(
        NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var next = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "select min(next_attempt_at) from email_deliveries where status = 'pending' and next_attempt_at > @now",
            new { now = now.UtcDateTime }, cancellationToken: ct));
        return next is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public static async Task RecordSentAsync(NpgsqlTransaction transaction, Guid deliveryId, CancellationToken ct)
    {
        await RecordAttemptAsync(transaction, deliveryId, error: null, ct);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update email_deliveries set status = 'sent', attempts = attempts + 1, sent_at = now() "
                + "where id = @deliveryId",
            new { deliveryId }, transaction, cancellationToken: ct));
    }

    /// <summary>Records a failed attempt; the delivery is due again at <paramref name="nextAttemptAt"/>.</summary>
    public static async Task RecordFailedAsync(
        NpgsqlTransaction transaction, Guid deliveryId, string error, DateTimeOffset nextAttemptAt,
        CancellationToken ct)
    {
        await RecordAttemptAsync(transaction, deliveryId, error, ct);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "update email_deliveries set attempts = attempts + 1, next_attempt_at = @nextAttemptAt "
                + "where id = @deliveryId",
            new { deliveryId, nextAttemptAt = nextAttemptAt.UtcDateTime }, transaction, cancellationToken: ct));
    }

    private static Task RecordAttemptAsync(
        NpgsqlTransaction transaction, Guid deliveryId, string? error, CancellationToken ct) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "insert into email_attempts (delivery_id, succeeded, error) values (@deliveryId, @succeeded, @error)",
            new { deliveryId, succeeded = error is null, error }, transaction, cancellationToken: ct));
}
