using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>What each metric stream of a Portal process costs, and that it still reads as its instrument asks.</summary>
public sealed class MetricStreamTests
{
    [Fact]
    public void A_new_metric_stream_sets_aside_no_large_object()
    {
        using var telemetry = Telemetry(out _);
        using var meter = new Meter("Portal.Tests.Streams");

        var before = GC.GetAllocatedBytesForCurrentThread();
        meter.CreateCounter<long>("portal.tests.count").Add(1, new KeyValuePair<string, object?>("route", "/a"));
        var cost = GC.GetAllocatedBytesForCurrentThread() - before;

        // The large object heap starts at 85,000 bytes; with the SDK's default limit a stream took 144 KB and more.
        Assert.InRange(cost, 1, 85_000 - 1);
    }

    [Fact]
    public void A_duration_keeps_the_buckets_its_instrument_advises()
    {
        using var telemetry = Telemetry(out var exported);
        using var meter = new Meter("Portal.Tests.Streams");
        meter.CreateHistogram("portal.tests.duration", "s", null, null,
                new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] })
            .Record(0.05, new KeyValuePair<string, object?>("route", "/a"));

        telemetry.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var bounds = new List<double>();
        foreach (ref readonly var point in Assert.Single(exported, m => m.Name == "portal.tests.duration")
            .GetMetricPoints())
        {
            foreach (var bucket in point.GetHistogramBuckets())
                bounds.Add(bucket.ExplicitBound);
        }
        Assert.Equal([0.01, 0.1, 1, double.PositiveInfinity], bounds);
    }

    [Fact]
    public void Per_request_instruments_nobody_reads_are_never_enabled_and_the_request_durations_are()
    {
        using var telemetry = Telemetry(out _);
        using var meter = new Meter("Portal.Tests.Streams");

        // Named as ASP.NET Core's and HttpClient's: a view chooses by the instrument's name.
        var active = meter.CreateUpDownCounter<long>("http.server.active_requests");
        var attempts = meter.CreateCounter<long>("aspnetcore.routing.match_attempts");
        var queued = meter.CreateHistogram<double>("http.client.request.time_in_queue");
        var duration = meter.CreateHistogram<double>("http.server.request.duration");
        var verdicts = meter.CreateCounter<long>("aspnetcore.rate_limiting.requests");

        Assert.False(active.Enabled);
        Assert.False(attempts.Enabled);
        Assert.False(queued.Enabled);
        Assert.True(duration.Enabled);
        Assert.True(verdicts.Enabled);
    }

    // The service defaults' telemetry, with what it measures kept in memory.
    private static IHost Telemetry(out List<Metric> exported)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.ConfigureOpenTelemetry();
        var metrics = new List<Metric>();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Portal.Tests.*").AddInMemoryExporter(metrics));
        var host = builder.Build();
        host.Services.GetRequiredService<MeterProvider>();
        exported = metrics;
        return host;
    }
}
