using System.Diagnostics;

namespace Portal.Load;

/// <summary>
/// The Portal the harness measures: the one answering at the gateway, or one it starts itself in
/// the performance profile (<c>PORTAL_PROFILE=perf ./run.sh</c>) and stops at the end.
/// </summary>
public sealed class RunningPortal : IAsyncDisposable
{
    private readonly Process? _started;

    private RunningPortal(Process? started) => _started = started;

    public bool StartedHere => _started is not null;

    public static string RepositoryRoot { get; } = FindRoot();

    public static async Task<RunningPortal> EnsureAsync(Uri gateway)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (await AnswersAsync(http, gateway))
        {
            Console.WriteLine($"measuring the Portal already running at {gateway}");
            return new RunningPortal(null);
        }

        var log = Path.Combine(RepositoryRoot, ".data", "load-run.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        Console.WriteLine($"no Portal at {gateway}: starting one in the performance profile (log: {log})");
        var start = new ProcessStartInfo("bash", ["-c", $"exec ./run.sh > '{log}' 2>&1"])
        {
            WorkingDirectory = RepositoryRoot,
            Environment = { ["PORTAL_PROFILE"] = "perf", ["PORTAL_GATEWAY_PORT"] = gateway.Port.ToString() },
        };
        var process = Process.Start(start)!;
        var clock = Stopwatch.StartNew();
        while (!await AnswersAsync(http, gateway))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"./run.sh stopped (exit {process.ExitCode}); see {log}");
            if (clock.Elapsed > TimeSpan.FromMinutes(15))
                throw new TimeoutException($"Portal did not answer at {gateway} within 15 minutes; see {log}");
            await Task.Delay(1000);
        }
        Console.WriteLine($"Portal up after {clock.Elapsed.TotalSeconds:F0} s");
        return new RunningPortal(process);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri gateway)
    {
        try
        {
            return (await http.GetAsync(new Uri(gateway, "/health"))).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started is null || _started.HasExited)
            return;
        // On standard error: standard output ends with the RESULT line.
        Console.Error.WriteLine("stopping the Portal the harness started");
        // run.sh stops the AppHost (and every server it started) on SIGTERM.
        Process.Start("kill", ["-TERM", _started.Id.ToString()])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _started.WaitForExitAsync(timeout.Token);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "run.sh"))
                && Directory.Exists(Path.Combine(dir.FullName, "bench")))
                return dir.FullName;
        }
        throw new InvalidOperationException("run from a clone of Portal (no run.sh above the harness)");
    }
}
