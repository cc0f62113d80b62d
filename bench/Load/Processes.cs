namespace Portal.Load;

/// <summary>
/// CPU time and resident memory of every process of the running system, read from <c>/proc</c>
/// and grouped by part (each Portal project, PostgreSQL, RabbitMQ, Azurite, MailDev, the AppHost,
/// DCP, the dashboard). A part's CPU counts its processes' own time and that of their exited
/// children (<c>cutime</c>, <c>cstime</c>: a PostgreSQL backend that ended, an Erlang helper).
/// </summary>
public sealed class Processes
{
    private const double MsPerTick = 10; // USER_HZ is 100 on Linux

    private readonly Dictionary<string, double> _peakRssMiB = [];
    private readonly int _self = Environment.ProcessId;

    /// <summary>The part a process belongs to, or null (not Portal's, or the harness itself).</summary>
    private static string? PartOf(string cmdline, string comm)
    {
        switch (comm)
        {
            case "postgres":
                return "postgres";
            case "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost":
                return "rabbitmq";
            case "dcp" or "dcpctrl" or "dcpproc":
                return "dcp";
        }
        foreach (var (marker, part) in new[]
        {
            ("/services/Tickets/", "tickets"), ("/services/Access/", "access"),
            ("/services/Attachments/", "attachments"), ("/services/Notifications/", "notifications"),
            ("/gateway/", "gateway"), ("/web/", "web"), ("/AppHost/", "apphost"), ("Aspire.Dashboard", "dashboard"),
            ("azurite", "azurite"), ("maildev", "maildev"),
        })
        {
            if (cmdline.Contains(marker, StringComparison.Ordinal))
                return part;
        }
        return null;
    }

    private sealed record Proc(
        int Pid, int ParentPid, string Comm, string Cmdline, long OwnTicks, long ChildTicks, long RssKiB);

    private IReadOnlyList<Proc> Read()
    {
        var all = new List<Proc>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == _self)
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14) ... rss(21, pages)
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                all.Add(new Proc(pid, int.Parse(fields[1]), comm, cmdline,
                    long.Parse(fields[11]) + long.Parse(fields[12]), long.Parse(fields[13]) + long.Parse(fields[14]),
                    long.Parse(fields[21]) * Environment.SystemPageSize / 1024));
            }
            catch (Exception e)
                when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Gone in between.
            }
        }
        return all;
    }

    /// <summary>Each part's CPU time so far, in milliseconds.</summary>
    public Dictionary<string, double> CpuMs()
    {
        var procs = Read();
        var parts = Classify(procs);
        var cpu = new Dictionary<string, double>();
        foreach (var p in procs)
        {
            if (parts.TryGetValue(p.Pid, out var part))
                cpu[part] = cpu.GetValueOrDefault(part) + (p.OwnTicks + p.ChildTicks) * MsPerTick;
        }
        return cpu;
    }

    /// <summary>
    /// Samples each process's resident memory, keeping the peak per process (named part#pid), or per program of
    /// a server.
    /// </summary>
    public void SampleMemory()
    {
        var procs = Read();
        var parts = Classify(procs);
        foreach (var p in procs)
        {
            if (!parts.TryGetValue(p.Pid, out var part))
                continue;
            // A server of many processes (a backend per connection) shows its largest, not a row each.
            var key = part is "postgres" or "rabbitmq" or "dcp"
                ? $"{part} ({p.Comm}, largest)"
                : $"{part} ({p.Comm}#{p.Pid})";
            _peakRssMiB[key] = Math.Max(_peakRssMiB.GetValueOrDefault(key), p.RssKiB / 1024.0);
        }
    }

    public IReadOnlyDictionary<string, double> PeakRssMiB => _peakRssMiB;

    private static Dictionary<int, string> Classify(IReadOnlyList<Proc> procs)
    {
        var parts = new Dictionary<int, string>();
        foreach (var p in procs)
        {
            if (PartOf(p.Cmdline, p.Comm) is { } part)
                parts[p.Pid] = part;
        }
        return parts;
    }
}
