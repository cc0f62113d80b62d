using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Portal.Messaging.Monitoring;

/// <summary>
/// Degraded while events pile up: the outbox holds too many rows or too old a row (the broker or
/// the relay is stuck), or one of the service's consumer queues holds too many messages (its
/// consumers fall behind or fail). Dead letters are reported, not judged: they wait for an operator.
/// </summary>
public sealed class BacklogHealthCheck(BacklogSampler sampler, IOptions<MonitoringOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (sampler.Latest is not { } sample)
            return Task.FromResult(HealthCheckResult.Healthy("Not sampled yet."));

        var limits = options.Value;
        var problems = new List<string>();
        var data = new Dictionary<string, object> { ["sampledAt"] = sample.SampledAt };
        if (sample.Figures.TryGetValue(OutboxGauges.Backlog, out var rows))
        {
            data["outboxBacklog"] = (long)rows;
            if (rows > limits.OutboxMaxRows)
                problems.Add($"{rows:0} events wait in the outbox (more than {limits.OutboxMaxRows})");
        }
        if (sample.Figures.TryGetValue(OutboxGauges.OldestAge, out var age))
        {
            data["outboxOldestAgeSeconds"] = Math.Round(age, 1);
            if (age > limits.OutboxMaxAge.TotalSeconds)
                problems.Add($"the oldest unpublished event is {age:0} s old "
                    + $"(more than {limits.OutboxMaxAge.TotalSeconds:0} s)");
        }
        foreach (var (queue, depth) in sample.ConsumerQueues)
        {
            data["queue:" + queue] = depth;
            if (depth > limits.QueueMaxDepth)
                problems.Add($"{depth} messages wait in {queue} (more than {limits.QueueMaxDepth})");
        }
        if (sample.DeadLetters is { } deadLetters)
            data["deadLetters"] = deadLetters;

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("No backlog.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems) + ".", data: data));
    }
}
