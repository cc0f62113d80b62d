using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Starts again a supervised resource whose process ended by failing (a crash, SIGKILL: an exit code other
/// than 0), as a process supervisor would; DCP itself starts nothing again. A resource stopped on request
/// (exit code 0) stays stopped. A resource failing again soon after waits longer each time, up to 30 s.
/// </summary>
internal sealed partial class Supervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    IReadOnlySet<IResource> supervised,
    ILogger<Supervisor> logger) : BackgroundService
{
    private static readonly TimeSpan CalmAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Restarts> _restarts = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in notifications.WatchAsync(stoppingToken))
        {
            var state = change.Snapshot.State?.Text;
            if (!supervised.Contains(change.Resource) || lifetime.ApplicationStopping.IsCancellationRequested)
                continue;
            if (!KnownResourceStates.TerminalStates.Contains(state) || change.Snapshot.ExitCode is null or 0)
                continue;
            var restarts = _restarts.GetOrAdd(change.ResourceId, _ => new Restarts());
            // One exit is reported several times; the first report starts it again.
            if (restarts.Pending || (change.Snapshot.StopTimeStamp is { } stop && restarts.LastExit == stop))
                continue;
            restarts.Pending = true;
            restarts.LastExit = change.Snapshot.StopTimeStamp;
            _ = RestartAsync(change.ResourceId, change.Snapshot.ExitCode.Value, restarts, stoppingToken);
        }
    }

    private async Task RestartAsync(string resourceId, int exitCode, Restarts restarts, CancellationToken ct)
    {
        try
        {
            var now = DateTime.UtcNow;
            restarts.InARow = now - restarts.Last < CalmAfter ? restarts.InARow + 1 : 0;
            restarts.Last = now;
            var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, restarts.InARow)));
            LogRestarting(resourceId, exitCode, delay.TotalSeconds);
            await Task.Delay(delay, ct);
            var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, ct);
            if (!result.Success)
                LogFailed(resourceId, result.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            restarts.Pending = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Resource} ended with exit code {ExitCode}: starting it again in {Seconds} s")]
    private partial void LogRestarting(string resource, int exitCode, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Resource} could not be started again: {Error}")]
    private partial void LogFailed(string resource, string? error);

    private sealed class Restarts
    {
        public volatile bool Pending;
        public DateTime? LastExit;
        public DateTime Last;
        public int InARow;
    }
}

public static class SupervisorExtensions
{
    /// <summary>Starts <paramref name="resources"/> again whenever one fails (<see cref="Supervisor"/>).</summary>
    public static void Supervise(this IDistributedApplicationBuilder builder, IEnumerable<IResource> resources)
    {
        var supervised = resources.ToHashSet();
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<Supervisor>(
            sp, (IReadOnlySet<IResource>)supervised));
    }
}
