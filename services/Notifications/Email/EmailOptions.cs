namespace Portal.Notifications.Email;

public sealed class EmailOptions
{
    public string From { get; set; } = "PÔLE SANTÉ TRAVAIL <ne-pas-repondre@pole-sante-travail.example>";

    /// <summary>
    /// How often the sender looks for e-mails when nothing woke it: a backstop, since a NOTIFY wakes it when e-mails
    /// are queued, it looks again whenever its listener connects, and it wakes when a retry falls due.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the listener waits before it connects again after losing its connection.</summary>
    public TimeSpan ListenRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After a failed attempt: this delay, doubled at each failure, up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long one exchange with the mail server may take (connecting, each command, each message) before the
    /// attempt fails and is tried again later; MailKit's own default of two minutes would hold every e-mail behind a
    /// server that accepts the connection and then says nothing.
    /// </summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
