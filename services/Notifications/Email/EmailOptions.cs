namespace Portal.Notifications.Email;

public sealed class EmailOptions
{
    public string From { get; set; } = "PÔLE SANTÉ TRAVAIL <ne-pas-repondre@pole-sante-travail.example>";

    /// <summary>How often the sender looks for e-mails due when it found none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After a failed attempt: this delay, doubled at each failure, up to <see cref="MaxRetryDelay"/>.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public int BatchSize { get; set; } = 20;
}
