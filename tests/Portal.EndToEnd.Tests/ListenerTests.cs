using System.Globalization;
using System.Net;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>In development every listener of the system is on loopback: nothing answers from another machine.</summary>
[Collection(PortalCollection.Name)]
public sealed class ListenerTests(PortalApp portal)
{
    [Fact]
    public async Task No_process_of_the_system_listens_on_a_non_loopback_address()
    {
        await portal.TokenAsync(Demo.Camille); // the system is up and has been used
        var processes = SystemProcesses();
        var sockets = ListeningSockets();
        var listeners = new List<(int Pid, string Name, IPEndPoint EndPoint)>();
        foreach (var pid in processes)
        {
            foreach (var inode in SocketInodes(pid))
                if (sockets.TryGetValue(inode, out var endPoint))
                    listeners.Add((pid, ProcessName(pid), endPoint));
        }

        // The servers, the services and the gateway all listen: the search found them.
        Assert.Contains(listeners, l => l.Name.Contains("beam", StringComparison.Ordinal));
        Assert.Contains(listeners, l => l.Name.Contains("postgres", StringComparison.Ordinal));
        Assert.Contains(listeners, l => l.Name.Contains("epmd", StringComparison.Ordinal));
        Assert.Contains(listeners, l => l.Name.Contains("Portal.Gateway", StringComparison.Ordinal));
        var exposed = listeners
            .Where(l => !IPAddress.IsLoopback(
                l.EndPoint.Address.IsIPv4MappedToIPv6 ? l.EndPoint.Address.MapToIPv4() : l.EndPoint.Address))
            .ToList();
        Assert.True(exposed.Count == 0, string.Join("\n", exposed.Select(l => $"{l.Name} ({l.Pid}) on {l.EndPoint}")));
    }

    // This test process (the AppHost runs in it), Aspire's orchestrator (DCP, which detaches itself but
    // names the process it serves with --monitor), everything they started, and Erlang's port mapper (a daemon of its
    // own).
    private static HashSet<int> SystemProcesses()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        var system = new HashSet<int> { Environment.ProcessId };
        foreach (var pid in parents.Keys
            .Where(pid => ProcessName(pid).Contains($"--monitor {Environment.ProcessId} ", StringComparison.Ordinal)))
            system.Add(pid);
        bool grew;
        do
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (system.Contains(parent) && system.Add(pid))
                    grew = true;
        }
        while (grew);
        foreach (var pid in parents.Keys.Where(pid => ProcessName(pid).Contains("epmd", StringComparison.Ordinal)))
            system.Add(pid);
        return system;
    }

    private static string ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static IEnumerable<long> SocketInodes(int pid)
    {
        string[] links;
        try
        {
            links = Directory.GetFiles($"/proc/{pid}/fd");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var link in links)
        {
            string? target = null;
            try
            {
                target = new FileInfo(link).LinkTarget;
            }
            catch (IOException)
            {
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                yield return long.Parse(target[8..^1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Listening TCP sockets by inode, from /proc/net/tcp and tcp6 (state 0A is LISTEN).</summary>
    private static Dictionary<long, IPEndPoint> ListeningSockets()
    {
        var sockets = new Dictionary<long, IPEndPoint>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[3] != "0A")
                    continue;
                var (address, port) =
                    (fields[1].Split(':')[0], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber));
                sockets[long.Parse(fields[9], CultureInfo.InvariantCulture)] =
                    new IPEndPoint(ParseAddress(address), port);
            }
        }
        return sockets;
    }

    // /proc writes each 32-bit word of the address in host (little-endian) order.
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var i = 0; i < bytes.Length; i += 4)
            Array.Reverse(bytes, i, 4);
        return new IPAddress(bytes);
    }
}
