using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Notifications.Data;
using Portal.Notifications.Live;
using Portal.Notifications.Model;

namespace Portal.Notifications.Apis;

public sealed record Preferences(bool Email);

public sealed record PreferencesRequest(bool? Email);

public sealed record NotificationView(
    Guid Id,
    string Kind,
    Guid TicketId,
    long Number,
    string Title,
    DateTime CreatedAt,
    DateTime? ReadAt)
{
    public static NotificationView From(NotificationRow row) =>
        new(row.Id, row.Kind, row.TicketId, row.Number, row.Title, row.CreatedAt, row.ReadAt);
}

public sealed record NotificationPage(IReadOnlyList<NotificationView> Items, string? NextCursor);

public sealed record UnreadCountEvent(long Count);

public sealed record HeartbeatEvent(DateTimeOffset At);

/// <summary>The last event of a stream closed by the server; a client should not reopen it by itself.</summary>
public sealed record StreamClosedEvent(string Reason, string Message);

public static class NotificationsApi
{
    private static readonly string InstanceId = Guid.NewGuid().ToString("N")[..12];

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/notifications");
        api.MapGet("/", ListAsync);
        api.MapPost("/{notificationId:guid}/read", MarkReadAsync);
        api.MapGet("/stream", Stream);
        api.MapGet("/preferences", GetPreferencesAsync);
        api.MapPut("/preferences", SetPreferencesAsync);
        return app;
    }

    /// <summary>The caller's notifications, newest first, by an opaque keyset cursor.</summary>
    public static async Task<Results<Ok<NotificationPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, NotificationStore store, CancellationToken ct, bool unreadOnly = false, int limit = 20,
        string? cursor = null)
    {
        if (limit is < 1 or > 100)
            return Problems.Validation(
                "notification.limit_invalid", "limit", "« limit » doit être compris entre 1 et 100.");
        long? before = null;
        if (cursor is not null)
        {
            if (!SeqCursor.TryDecode(cursor, out var seq))
                return Problems.Validation(
                    "notification.cursor_invalid", "cursor", "Le curseur de pagination est invalide.");
            before = seq;
        }
        var rows = await store.ListAsync(PortalUser.From(user), unreadOnly, limit + 1, before, ct);
        var next = rows.Count > limit ? SeqCursor.Encode(rows[limit - 1].Seq) : null;
        return TypedResults.Ok(new NotificationPage(rows.Take(limit).Select(NotificationView.From).ToList(), next));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(
        Guid notificationId, ClaimsPrincipal user, NotificationStore store, CancellationToken ct) =>
        await store.MarkReadAsync(PortalUser.From(user), notificationId, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound("notification");

    /// <summary>
    /// Server-Sent Events: each new notification (its id is the event id, so that a reconnection
    /// with <c>Last-Event-ID</c> replays what was missed), each change of the unread thread count,
    /// and a heartbeat when idle. The stream ends when the caller's token expires or is revoked; the
    /// client then reconnects with a fresh one.
    /// </summary>
    public static ServerSentEventsResult<object> Stream(
        HttpContext context, ClaimsPrincipal user, NotificationStore store, NotificationSignals signals,
        LiveStreamRegistry streams, BadgeCounts badges, RevocationList revocations,
        IOptions<NotificationOptions> options)
    {
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header
            ? header
            : context.Request.Query["lastEventId"].ToString();
        long? after = long.TryParse(lastEventId, out var seq) && seq >= 0 ? seq : null;
        var expiresAt = long.TryParse(user.FindFirstValue("exp"), out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : DateTimeOffset.MaxValue;
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // Opaque and random per process: shows which instance holds a stream, for operators and the two-instance test.
        context.Response.Headers["X-Portal-Instance"] = InstanceId;
        return TypedResults.ServerSentEvents(Events(user, after, expiresAt,
            store, signals, streams, badges, revocations, options.Value, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<object>> Events(
        ClaimsPrincipal user, long? after, DateTimeOffset expiresAt, NotificationStore store,
        NotificationSignals signals, LiveStreamRegistry streams, BadgeCounts badges, RevocationList revocations,
        NotificationOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var userId = user.UserId();
        var reader = PortalUser.From(user);
        // Subscribed before reading, so that nothing written in between goes unnoticed.
        using var subscription = signals.Subscribe(userId, Guid.CreateVersion7());
        await streams.OpenAsync(subscription.StreamId, userId, options.MaxStreamsPerUser, ct);
        try
        {
            var lastSeq = after ?? await store.LatestSeqAsync(userId, ct);
            long? badge = null;
            var (badgeStale, askedAt) = (true, 0L);
            var woken = true;
            // A revoked token (signed out, person deactivated) ends the stream at the next wake or heartbeat.
            while (!ct.IsCancellationRequested && DateTimeOffset.UtcNow < expiresAt && !revocations.IsRevoked(user))
            {
                if (subscription.IsClosed)
                {
                    // Said before the end, so that the client does not come straight back and close another.
                    yield return new SseItem<object>(new StreamClosedEvent("too_many_streams",
                        "Trop de connexions en direct sont ouvertes pour votre compte : celle-ci est fermée. "
                            + "Rechargez la page pour la rouvrir."), "closed");
                    yield break;
                }
                if (woken)
                {
                    var (delivered, mustRead) = subscription.Take();
                    await foreach (var row in UnsentAsync(store, reader, lastSeq, delivered, mustRead, ct))
                    {
                        lastSeq = row.Seq;
                        // Recorded in the story of the event, until the event is written to the stream.
                        using var push =
                            Telemetry.Source.StartInStory("live push", ActivityKind.Producer, row.TraceParent);
                        Telemetry.DeliveryDuration.Record(
                            Math.Max(0, (DateTime.UtcNow - row.CreatedAt).TotalSeconds),
                            new KeyValuePair<string, object?>("portal.notification.kind", row.Kind));
                        yield return new SseItem<object>(NotificationView.From(row), "notification")
                        {
                            EventId = row.Seq.ToString()
                        };
                    }
                }

                // Asked after every wake and heartbeat (a change of access or a read elsewhere shows up within one
                // heartbeat), but at most once per BadgeInterval: under a flow of notifications, one question
                // answers them all.
                if (badgeStale && Stopwatch.GetElapsedTime(askedAt) >= options.BadgeInterval)
                {
                    askedAt = Stopwatch.GetTimestamp();
                    badgeStale = false;
                    if (await badges.CountAsync(reader, ct) is { } count && count != badge)
                    {
                        badge = count;
                        yield return new SseItem<object>(new UnreadCountEvent(count), "unread-count");
                    }
                }

                var badgeDue = TimeSpan.FromTicks(Math.Max(
                    (options.BadgeInterval - Stopwatch.GetElapsedTime(askedAt)).Ticks, TimeSpan.TicksPerMillisecond));
                woken = await subscription.WaitAsync(badgeStale ? badgeDue : options.HeartbeatInterval, ct);
                if (woken)
                {
                    badgeStale = true;
                }
                else if (!badgeStale && !ct.IsCancellationRequested)
                {
                    badgeStale = true;
                    yield return new SseItem<object>(new HeartbeatEvent(DateTimeOffset.UtcNow), "heartbeat");
                }
            }
        }
        finally
        {
            // The stream is over (often because the request was aborted): the row goes regardless.
            await streams.CloseAsync(subscription.StreamId, CancellationToken.None);
        }
    }

    /// <summary>
    /// The notifications after <paramref name="afterSeq"/>, in order: read from the database, a page at a time, when
    /// the stream must read, then those delivered with their signals that the read did not already bring.
    /// </summary>
    private static async IAsyncEnumerable<NotificationRow> UnsentAsync(
        NotificationStore store, PortalUser reader, long afterSeq, IReadOnlyList<NotificationRow> delivered,
        bool mustRead, [EnumeratorCancellation] CancellationToken ct)
    {
        if (mustRead)
        {
            IReadOnlyList<NotificationRow> page;
            do
            {
                page = await store.SinceAsync(reader, afterSeq, 100, ct);
                foreach (var row in page)
                {
                    afterSeq = row.Seq;
                    yield return row;
                }
            }
            while (page.Count == 100);
        }
        foreach (var row in delivered.Where(row => row.Seq > afterSeq))
        {
            afterSeq = row.Seq;
            yield return row;
        }
    }

    public static async Task<Ok<Preferences>> GetPreferencesAsync(
        ClaimsPrincipal user, PreferenceStore preferences, CancellationToken ct) =>
        TypedResults.Ok(new Preferences(await preferences.WantsEmailAsync(user.UserId(), ct)));

    public static async Task<Results<Ok<Preferences>, ValidationProblem>> SetPreferencesAsync(
        PreferencesRequest request, ClaimsPrincipal user, PreferenceStore preferences, CancellationToken ct)
    {
        if (request.Email is not { } email)
            return Problems.Validation(
                "preferences.email_required", "email", "Indiquez si vous souhaitez être prévenu par e-mail.");
        await preferences.SetEmailAsync(user.UserId(), email, ct);
        return TypedResults.Ok(new Preferences(email));
    }
}

/// <summary>The opaque cursor of a notification page: the last row's sequence number.</summary>
public static class SeqCursor
{
    public static string Encode(long seq) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"n:{seq}")).TrimEnd('=');

    public static bool TryDecode(string cursor, out long seq)
    {
        seq = 0;
        if (cursor.Length > 40)
            return false;
        try
        {
            var text = Encoding.UTF8.GetString(
                Convert.FromBase64String(cursor + new string('=', (4 - cursor.Length % 4) % 4)));
            return text.StartsWith("n:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), out seq) && seq > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
