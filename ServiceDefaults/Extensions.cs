using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Portal.ServiceDefaults;

/// <summary>What every Portal process shares: telemetry, health, service discovery, resilience, errors.</summary>
public static class Extensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    /// <param name="apiAuthentication">
    /// Bearer tokens for an API (every service, the gateway); the web front end signs its users in
    /// with a cookie of its own instead.
    /// </param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, bool apiAuthentication = true)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddSharedPort();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        builder.Services.AddPortalProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new UserTextJsonConverter()));
        if (apiAuthentication)
            builder.AddPortalAuthentication();
        return builder;
    }

    /// <summary>
    /// How many tag combinations each metric stream keeps (more are counted together, tagged otel.metric.overflow).
    /// The SDK sets room for 2,000 aside for every stream, used or not: a 144 KB array on the large object heap for
    /// each of the hundred or so streams of a process, 14 MiB each. Portal's richest stream, a service's request
    /// durations by route, method and status, holds a few hundred at most.
    /// </summary>
    public const int MetricPointsPerStream = 500;

    /// <summary>
    /// Instruments that ASP.NET Core and HttpClient update on every request and that nobody reads: no panel, alert or
    /// runbook of Portal's uses them. A dropped instrument is never enabled, so its measurements are not even taken:
    /// a call through the gateway costs the gateway about 8 % less CPU (README, "Measuring load"). Kept: request and
    /// call durations (their counts are the rates), the rate limiter's verdicts, Kestrel's connections.
    /// </summary>
    private static readonly HashSet<string> Unread =
    [
        "http.server.active_requests",
        "aspnetcore.routing.match_attempts",
        "aspnetcore.rate_limiting.active_request_leases",
        "aspnetcore.rate_limiting.request_lease.duration",
        "aspnetcore.rate_limiting.queued_requests",
        "aspnetcore.rate_limiting.request.time_in_queue",
        "http.client.active_requests",
        "http.client.request.time_in_queue",
        "http.client.open_connections",
        "http.client.connection.duration",
    ];

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddView(instrument => Unread.Contains(instrument.Name)
                    ? MetricStreamConfiguration.Drop
                    : new MetricStreamConfiguration { CardinalityLimit = MetricPointsPerStream })
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                // Portal's own instruments: every meter is named "Portal.<part>".
                .AddMeter("Portal.*"))
            .WithTracing(tracing => tracing
                // Every story (or the share Telemetry:TraceSampleRatio says, decided once at its start and
                // kept by every hop), and nothing a caller marked unrecorded (Unrecorded): the AppHost's
                // OTEL_TRACES_SAMPLER=always_on would record housekeeping too.
                .SetSampler(new ParentBasedSampler(
                    builder.Configuration.GetValue("Telemetry:TraceSampleRatio", 1.0) is var ratio and < 1
                        ? new TraceIdRatioBasedSampler(ratio)
                        : new AlwaysOnSampler()))
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path.Value))
                // A health probe (the gateway asking each service) is housekeeping too.
                .AddHttpClientInstrumentation(o =>
                    o.FilterHttpRequestMessage = request => !IsProbe(request.RequestUri?.AbsolutePath)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }

    private static bool IsProbe(string? path) =>
        path is not null && (IsUnder(path, HealthPath) || IsUnder(path, AlivePath));

    private static bool IsUnder(string path, string segment) =>
        path.StartsWith(segment, StringComparison.OrdinalIgnoreCase)
        && (path.Length == segment.Length || path[segment.Length] == '/');

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Errors as problem+json, bare status codes (401, 404, ...) included; a query string that is
    /// not well-formed text refused before any endpoint reads it.
    /// </summary>
    public static WebApplication UsePortalDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use((context, next) => UserText.IsWellFormedQuery(context.Request.QueryString.Value)
            ? next(context)
            : Problems.Validation("request.query_invalid", "query", UserText.RefusedMessage).ExecuteAsync(context));
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// <c>/health</c>: every check (database, broker, storage, backlogs), as JSON that says which
    /// check is not healthy and why (503 when unhealthy, 200 otherwise); <c>/alive</c>: the process answers.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous()
            .DisableHttpMetrics();
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .AllowAnonymous();
        return app;
    }
}
