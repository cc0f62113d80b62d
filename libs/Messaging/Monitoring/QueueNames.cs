namespace Portal.Messaging.Monitoring;

/// <summary>The service's own durable queues: those its consumers read, and its account's dead letters.</summary>
public sealed class QueueNames(string deadLetters)
{
    private readonly List<string> _consumers = [];

    public string DeadLetters => deadLetters;

    public IReadOnlyList<string> Consumers
    {
        get { lock (_consumers) return [.. _consumers]; }
    }

    internal void AddConsumerQueue(string name)
    {
        lock (_consumers)
        {
            if (!_consumers.Contains(name))
                _consumers.Add(name);
        }
    }
}
