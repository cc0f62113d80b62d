namespace Portal.Load;

/// <summary>
/// <c>--rate R --seconds S --streams N [--gateway URL] [--threads T] [--staff-share F] [--warmup W] [--rest Q]</c>.
/// Streams are split four members to one staff (40 and 10 for 50), one person each. The run is preceded by W
/// seconds (default 20) of the same load, not measured; before that, Q seconds (default 10) with the streams open
/// and no posts measure the system's CPU at rest.
/// </summary>
public sealed record Options(
    double Rate, int Seconds, int Streams, Uri Gateway, int Threads, double StaffShare, int WarmupSeconds,
    int RestSeconds)
{
    public int MemberStreams => Streams - StaffStreams;

    public int StaffStreams => Streams / 5;

    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument {args[i]}");
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        var gatewayPort = Environment.GetEnvironmentVariable("PORTAL_GATEWAY_PORT") ?? "8080";
        return new Options(
            double.Parse(Get("rate", "100"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("seconds", "60")),
            int.Parse(Get("streams", "50")),
            new Uri(Get("gateway", $"http://localhost:{gatewayPort}")),
            int.Parse(Get("threads", "200")),
            double.Parse(Get("staff-share", "0.5"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Get("warmup", "20")),
            int.Parse(Get("rest", "10")));
    }
}
