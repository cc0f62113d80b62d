using System.Globalization;
using System.Text;

namespace Portal.Load;

/// <summary>The figures of one run, as a dated Markdown table and the one-line RESULT.</summary>
public sealed record Report(
    Options Options, int Sent, int Accepted, int Failed, double PostingSeconds, double DrainedSeconds,
    IReadOnlyList<double> PostLatencies, IReadOnlyList<double> EventLatencies,
    int Lost, int Doubled, int LiveLost, int LiveDoubled, int Reconnections,
    IReadOnlyDictionary<string, double> CpuMs, IReadOnlyDictionary<string, double> RestMsPerSecond,
    IReadOnlyDictionary<string, double> PeakRssMiB,
    IReadOnlyList<GatewayRatio.Round> Cheap, IReadOnlyList<GatewayRatio.Round> List, double PgbenchInserts,
    IReadOnlyList<Database.Statement> Statements, bool StartedHere)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public double CpuMsPerMessage => Accepted == 0 ? double.NaN : CpuMs.Values.Sum() / Accepted;

    /// <summary>What the system at rest spent over the run's time, per accepted message: the share of
    /// <see cref="CpuMsPerMessage"/> that no message caused.</summary>
    public double RestMsPerMessage =>
        Accepted == 0 ? double.NaN : RestMsPerSecond.Values.Sum() * DrainedSeconds / Accepted;

    public double GatewayRatioCheap => Stats.Median(Cheap.Select(r => r.Ratio));

    public string ResultLine => string.Create(Invariant,
        $"RESULT rate={Options.Rate} sent={Sent} lost={Lost} doubled={Doubled} "
        + $"post_p99_ms={Stats.Percentile(PostLatencies, 99):F1} "
        + $"event_p99_ms={Stats.Percentile(EventLatencies, 99):F1} "
        + $"cpu_ms_per_msg={CpuMsPerMessage:F2} gateway_ratio={GatewayRatioCheap:F2}");

    public string Write(string folder)
    {
        var at = DateTime.Now;
        var path = Path.Combine(folder, $"results-{at:yyyy-MM-dd-HHmm}.md");
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(Invariant));

        Line($"# bench/Load, {at:yyyy-MM-dd HH:mm}");
        md.AppendLine();
        Line($"`dotnet run -c Release --project bench/Load -- --rate {Options.Rate} --seconds {
            Options.Seconds} --streams {Options.Streams} --threads {Options.Threads} --warmup {
                Options.WarmupSeconds} --rest {Options.RestSeconds}`");
        Line($"({(StartedHere
            ? "Portal started by the harness, performance profile"
            : "against a Portal already running")}; {Environment.ProcessorCount} cores; commit {Commit()})");
        md.AppendLine();
        md.AppendLine("| figure | value |");
        md.AppendLine("|---|---|");
        Line($"| posts sent / accepted / failed | {Sent} / {Accepted} / {Failed} (sent over {
            PostingSeconds:F1} s, all heard by {DrainedSeconds:F1} s) |");
        Line($"| post latency p50 / p99 / max | {Ms(PostLatencies, 50)} / {Ms(PostLatencies, 99)} / {
            Ms(PostLatencies, 100)} ms |");
        Line($"| post → live event p50 / p99 / max (per recipient, {EventLatencies.Count} events) | {
            Ms(EventLatencies, 50)} / {Ms(EventLatencies, 99)} / {Ms(EventLatencies, 100)} ms |");
        Line($"| notifications lost / doubled (database) | {Lost} / {Doubled} |");
        Line($"| live events missing / extra (streams), reconnections | {LiveLost} / {LiveDoubled}, {Reconnections} |");
        Line($"| CPU per accepted message, every process | {CpuMsPerMessage:F2} ms |");
        Line($"| CPU at rest ({Options.RestSeconds} s, streams open, no posts), every process | {
            RestMsPerSecond.Values.Sum():F0} ms/s, {RestMsPerMessage:F2} ms per message over the run |");
        Line($"| gateway ÷ direct, GET /api/me (rounds) | {GatewayRatioCheap:F2} ({Rounds(Cheap)}) |");
        Line($"| gateway ÷ direct, GET /api/tickets?limit=20 (rounds) | {
            Stats.Median(List.Select(r => r.Ratio)):F2} ({Rounds(List)}) |");
        Line($"| pgbench single-row inserts/s (32 clients) | {PgbenchInserts:F0}; accepted posts/s ÷ pgbench = {
            Accepted / PostingSeconds / PgbenchInserts:F3} |");
        md.AppendLine();
        md.AppendLine("CPU from the first post until every notification was written and heard, per part:");
        md.AppendLine();
        md.AppendLine("| part | CPU ms | ms per message | at rest, ms/s |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (part, ms) in CpuMs.OrderByDescending(c => c.Value))
            Line($"| {part} | {ms:F0} | {ms / Math.Max(1, Accepted):F2} | {
                RestMsPerSecond.GetValueOrDefault(part):F1} |");
        md.AppendLine();
        md.AppendLine("PostgreSQL statements that took the most time during the run (pg_stat_statements):");
        md.AppendLine();
        md.AppendLine("| database | calls | total ms | mean ms | statement |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var statement in Statements)
            Line($"| {statement.Database} | {statement.Calls} | {statement.TotalMs:F0} | {statement.MeanMs:F3} | `{
                statement.Text.Replace("|", "\\|")}` |");
        md.AppendLine();
        md.AppendLine("Peak resident memory during the run, per process (servers with many processes: the largest):");
        md.AppendLine();
        md.AppendLine("| process | peak RSS MiB |");
        md.AppendLine("|---|---|");
        foreach (var (process, mib) in PeakRssMiB.OrderBy(p => p.Key, StringComparer.Ordinal))
            Line($"| {process} | {mib:F0} |");
        md.AppendLine();
        md.AppendLine(ResultLine);
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static string Commit()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                "git", ["-C", RunningPortal.RepositoryRoot, "describe", "--always", "--dirty"])
            {
                RedirectStandardOutput = true,
            })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return commit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static string Ms(IReadOnlyList<double> sorted, double p) =>
        Stats.Percentile(sorted, p).ToString("F1", Invariant);

    private static string Rounds(IReadOnlyList<GatewayRatio.Round> rounds) =>
        string.Join("; ", rounds.Select(r => string.Create(Invariant, $"{r.ThroughGateway:F0}/{r.Direct:F0} req/s")));
}
