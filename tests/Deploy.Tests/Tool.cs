using System.Diagnostics;
using System.Text;

namespace Portal.Deploy.Tests;

/// <summary>A command-line tool run to completion, its standard output and error kept apart.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Errors}".TrimEnd();
    }

    public static Result Run(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = Portal.Testing.RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)
            ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Rendering and validating both overlays takes a few seconds; a minute means something hangs.
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within a minute.");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString(), errors.ToString());
    }

    /// <summary>kubectl, or the one <c>KUBECTL</c> names (another version to render with).</summary>
    public static string Kubectl => Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } path
        ? path
        : "kubectl";
}
