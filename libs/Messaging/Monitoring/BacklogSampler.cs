using System.Collections.Concurrent;
using System.Data;
using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Portal.Messaging.Monitoring;

/// <summary>What one sample found: the database figures by gauge name, and the service's queues' depths.</summary>
public sealed record BacklogSample(
    DateTimeOffset SampledAt,
    IReadOnlyDictionary<string, double> Figures,
    IReadOnlyDictionary<string, long> ConsumerQueues,
    long? DeadLetters);

/// <summary>
/// Reads, at every <see cref="MonitoringOptions.SampleInterval"/>, the figures that tell a stuck
/// service from a healthy one: its <see cref="DatabaseGauge"/>s (the outbox's backlog and oldest
/// row, e-mails waiting...) and how many messages wait in each of its queues (a passive declare,
/// with the service's own broker account). Gauges and the health check read the latest sample, so
/// neither asks the database or the broker itself; a sample records no trace. The database figures
/// of one sample come from one snapshot, so they agree with each other (a backlog of 0 next to an
/// age of 2 minutes would be two moments, not one).
/// </summary>
public sealed partial class BacklogSampler : BackgroundService
{
    public const string QueueDepthGauge = "portal.queue.depth";

    private readonly IServiceProvider _services;
    private readonly IReadOnlyList<DatabaseGauge> _gauges;
    private readonly QueueNames _queues;
    private readonly BrokerAddress _broker;
    private readonly IOptions<MonitoringOptions> _options;
    private readonly ILogger<BacklogSampler> _logger;
    private readonly ConcurrentDictionary<string, long> _depths = new();
    private IConnection? _connection;

    public BacklogSampler(
        IServiceProvider services, IEnumerable<DatabaseGauge> gauges, QueueNames queues, BrokerAddress broker,
        IMeterFactory meters, IOptions<MonitoringOptions> options, ILogger<BacklogSampler> logger)
    {
        _services = services;
        _gauges = [.. gauges];
        _queues = queues;
        _broker = broker;
        _options = options;
        _logger = logger;

        var meter = meters.Create("Portal.Messaging");
        foreach (var gauge in _gauges)
        {
            var name = gauge.Name;
            meter.CreateObservableGauge<double>(name,
                () => Latest?.Figures.TryGetValue(name, out var value) == true
                    ? [new Measurement<double>(value)]
                    : [],
                gauge.Unit, gauge.Description);
        }
        meter.CreateObservableGauge(QueueDepthGauge, () => _depths.Select(d => new Measurement<long>(d.Value,
                new("messaging.destination.name", d.Key),
                new("portal.queue.kind", d.Key == _queues.DeadLetters ? "dead_letter" : "consumer"))),
            "{message}",
            "Messages waiting in each of the service's queues: those its consumers read, and its dead letters.");
    }

    /// <summary>The latest sample; null until the first one.</summary>
    public BacklogSample? Latest { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Housekeeping.EveryAsync(
            _options.Value.SampleInterval, "backlog sample", SampleAsync, LogSampleFailed, stoppingToken);

    private async Task SampleAsync(CancellationToken ct)
    {
        var figures = await ReadGaugesAsync(ct);
        try
        {
            await SampleQueuesAsync(ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested
            && ex is BrokerUnreachableException or OperationInterruptedException
                or AlreadyClosedException or IOException)
        {
            // The broker is away (the bus's own health check says so): the database's figures still count.
            _depths.Clear();
            LogBrokerUnreachable(ex);
        }
        Latest = new BacklogSample(DateTimeOffset.UtcNow, figures,
            _depths.Where(d => d.Key != _queues.DeadLetters).ToDictionary(),
            _depths.TryGetValue(_queues.DeadLetters, out var dead) ? dead : null);
    }

    private async Task<Dictionary<string, double>> ReadGaugesAsync(CancellationToken ct)
    {
        var figures = new Dictionary<string, double>();
        if (_gauges.Count == 0)
            return figures;
        var dataSource = _services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        foreach (var gauge in _gauges)
        {
            figures[gauge.Name] = await connection.ExecuteScalarAsync<double>(
                new CommandDefinition(gauge.Sql, transaction: snapshot, cancellationToken: ct));
        }
        return figures;
    }

    private async Task SampleQueuesAsync(CancellationToken ct)
    {
        if (_connection is not { IsOpen: true })
        {
            if (_connection is not null)
                await _connection.DisposeAsync();
            _connection = await _broker.ConnectAsync("backlog sampler", ct);
        }
        IChannel? channel = null;
        try
        {
            foreach (var queue in _queues.Consumers.Append(_queues.DeadLetters))
            {
                channel ??= await _connection.CreateChannelAsync(cancellationToken: ct);
                try
                {
                    _depths[queue] = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
                }
                catch (OperationInterruptedException)
                {
                    // Not declared (yet): the broker closed the channel; the next queue gets a new one.
                    _depths.TryRemove(queue, out _);
                    await channel.DisposeAsync();
                    channel = null;
                }
            }
        }
        finally
        {
            if (channel is not null)
                await channel.DisposeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_connection is not null)
            await _connection.DisposeAsync();
    }

    [LoggerMessage(LogLevel.Debug, "Queue depths not sampled: the broker cannot be reached")]
    private partial void LogBrokerUnreachable(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Sampling the backlog failed; the health check keeps the previous sample")]
    private partial void LogSampleFailed(Exception exception);
}
