namespace Portal.Messaging;

public sealed class OutboxOptions
{
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How often the relay looks for events when nothing woke it: a backstop, since this process's writers wake it
    /// for each committed event (<see cref="Outbox"/>), a NOTIFY on its channel does, and it looks again whenever its
    /// listener connects. What it alone finds: events stored by an instance that stopped before its relay ran.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the listener waits before it connects again after losing its connection.</summary>
    public TimeSpan ListenRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryDelayMin { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromSeconds(5);
}
