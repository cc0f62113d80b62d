using System.Diagnostics;
using Portal.AppHost;
using Xunit;

namespace Portal.Deploy.Tests;

/// <summary>
/// The ports the AppHost and the test servers give to servers that bind them later: never the same one twice, here or
/// in another process, while the process that took it runs.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void A_port_is_handed_out_once_in_a_process()
    {
        // The kernel's free port, asked 400 times, repeats itself a few times on average (about 14,000 to pick from).
        var ports = Enumerable.Range(0, 400).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task A_port_handed_out_here_is_held_against_every_other_process()
    {
        var port = FreePort.Next();

        // What another process picking ports the same way tries before it takes one.
        using var flock = Process.Start(new ProcessStartInfo("flock",
            ["--nonblock", Path.Combine(Path.GetTempPath(), "portal-ports", port.ToString()), "true"]))!;
        await flock.WaitForExitAsync();

        Assert.Equal(1, flock.ExitCode);
    }
}
