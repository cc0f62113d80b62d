namespace Portal.Messaging.Monitoring;

/// <summary>The outbox's figures: how many events wait to be published, and for how long the oldest has.</summary>
public static class OutboxGauges
{
    public const string Backlog = "portal.outbox.backlog";
    public const string OldestAge = "portal.outbox.oldest_age";

    public static readonly DatabaseGauge[] All =
    [
        new(Backlog, "{event}", "Events stored and not yet published.",
            "select count(*) from outbox_messages where published_at is null"),
        new(OldestAge, "s", "Age of the oldest event not yet published (0 when none waits).",
            "select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from outbox_messages "
                + "where published_at is null"),
    ];
}
