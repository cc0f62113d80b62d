namespace Portal.Notifications.Model;

public sealed class NotificationOptions
{
    /// <summary>At most one e-mail per thread and user within this time.</summary>
    public TimeSpan EmailQuietPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an idle live stream sends a heartbeat (15-30 s keeps proxies from cutting it).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often at most a live stream asks Tickets for the unread count while notifications keep
    /// coming: the first one after a quiet spell is asked at once, those that follow within this
    /// time share one question.
    /// </summary>
    public TimeSpan BadgeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often at most an instance asks Tickets for its streams' badges: the questions of every stream that
    /// wakes meanwhile share one call.
    /// </summary>
    public TimeSpan BadgeGap { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Live streams one person may hold at once (tabs, devices): one more closes their oldest.</summary>
    public int MaxStreamsPerUser { get; set; } = 10;

    /// <summary>The web portal's address, for the link in e-mails.</summary>
    public string PortalUrl { get; set; } = "http://localhost:8080";
}
