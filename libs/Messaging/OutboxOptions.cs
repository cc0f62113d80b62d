namespace Portal.Messaging;

public sealed class OutboxOptions
{
    public int BatchSize { get; set; } = 100;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryDelayMin { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromSeconds(5);
}
