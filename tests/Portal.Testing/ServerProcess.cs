using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Portal.Testing;

/// <summary>
/// A server started from one of the AppHost's scripts, so that tests run the very servers the
/// AppHost runs. Its output is kept to explain a failure to start.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process) => _process = process;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<ServerProcess> StartAsync(
        string script,
        IReadOnlyDictionary<string, string> environment,
        Func<CancellationToken, Task<bool>> isReady,
        TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash", [RepositoryRoot.Script(script)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;

        var server = new ServerProcess(Process.Start(info)!);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (server._process.HasExited)
                throw new InvalidOperationException(
                    $"{script} exited with {server._process.ExitCode}:\n{server.Output}");
            try
            {
                if (await isReady(cts.Token))
                    return server;
            }
            catch (Exception) when (!cts.IsCancellationRequested)
            {
            }
            if (cts.IsCancellationRequested)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"{script} was not ready within {timeout}:\n{server.Output}");
            }
            await Task.Delay(200, CancellationToken.None);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>SIGTERM, as an orchestrator stops a server, then waits for it to be gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    /// <summary>SIGKILL, as a crash: no graceful close of open connections.</summary>
    public async Task CrashAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
