using System.Text;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Portal.Testing;

/// <summary>
/// The whole system started from the AppHost, every server empty and on ports Aspire chooses: what
/// the end-to-end and the browser tests run against, started the same way for both.
/// </summary>
public sealed class PortalSystem : IAsyncDisposable
{
    private PortalSystem(DistributedApplication app) => App = app;

    public DistributedApplication App { get; }

    /// <summary>
    /// Starts <typeparamref name="TAppHost"/> with <paramref name="settings"/> (<c>Key=Value</c>) and waits until every
    /// resource is healthy.
    /// </summary>
    public static async Task<PortalSystem> StartAsync<TAppHost>(params string[] settings) where TAppHost : class
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<TAppHost>(
            ["Portal:Ephemeral=true", .. settings, "--environment", "Development"],
            (options, _) => options.DisableDashboard = true);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        var app = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await app.StartAsync(cts.Token);
        foreach (var resource in Processes(app))
        {
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(
                    resource, WaitBehavior.WaitOnResourceUnavailable, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Resource '{resource}' did not become healthy in time.\n{await WhyNotHealthyAsync(app)}");
            }
        }
        return new PortalSystem(app);
    }

    /// <summary>
    /// Every process: each server (every broker node of a cluster) and each instance of every part; not Aspire's own
    /// hidden helpers (a project's rebuilder runs only when asked).
    /// </summary>
    public static IEnumerable<string> Processes(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is ProjectResource or ExecutableResource)
            .Where(r => !app.ResourceNotifications.TryGetCurrentState(r.Name, out var e) || !e.Snapshot.IsHidden)
            .Select(r => r.Name);

    /// <summary>
    /// Every process that is not healthy: its state, what its health checks say, and the end of its console output;
    /// a start that timed out on a machine nobody can look at afterwards says why.
    /// </summary>
    private static async Task<string> WhyNotHealthyAsync(DistributedApplication app)
    {
        var why = new StringBuilder();
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var resource in Processes(app))
        {
            if (!app.ResourceNotifications.TryGetCurrentState(resource, out var current)
                || current.Snapshot.HealthStatus == HealthStatus.Healthy)
                continue;
            var snapshot = current.Snapshot;
            why.AppendLine($"- {resource}: {snapshot.State?.Text ?? "no state"}, exit code {snapshot.ExitCode}, "
                + $"health {snapshot.HealthStatus?.ToString() ?? "unknown"}");
            foreach (var report in snapshot.HealthReports)
                why.AppendLine($"  {report.Name}: {report.Status} {report.Description} {report.ExceptionText}");
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var lines = new List<string>();
            try
            {
                await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(enough.Token))
                    lines.AddRange(batch.Select(line => line.Content));
            }
            catch (OperationCanceledException)
            {
            }
            foreach (var line in lines.TakeLast(40))
                why.AppendLine("  | " + line);
        }
        return why.ToString();
    }

    public Uri Gateway => App.GetEndpoint("gateway", "http");

    public HttpClient GatewayClient() => App.CreateHttpClient("gateway");

    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource)
            ?? throw new InvalidOperationException($"'{resource}' has no connection string.");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
