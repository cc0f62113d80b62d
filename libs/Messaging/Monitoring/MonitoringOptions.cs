namespace Portal.Messaging.Monitoring;

/// <summary>
/// How often backlogs are sampled, and where a backlog makes the service degraded (section <c>Monitoring</c>).
/// </summary>
public sealed class MonitoringOptions
{
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Unpublished outbox rows above which the service is degraded.</summary>
    public long OutboxMaxRows { get; set; } = 1000;

    /// <summary>Age of the oldest unpublished outbox row above which the service is degraded.</summary>
    public TimeSpan OutboxMaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages waiting in one of the service's consumer queues above which the service is degraded.</summary>
    public long QueueMaxDepth { get; set; } = 1000;
}
