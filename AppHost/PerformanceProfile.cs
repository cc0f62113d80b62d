namespace Portal.AppHost;

/// <summary>
/// What <c>PORTAL_PROFILE=perf</c> changes, so that a load test measures Portal rather than its
/// development comforts: a sampled share of traces (each decided once, at the gateway, and kept by
/// every hop), telemetry exported at OpenTelemetry's default pace, warnings only in the logs (the
/// dashboard ingests every line otherwise), the load directory of <c>bench/Load</c> (ten companies
/// of four members, ten staff), and per-person API limits high enough that one load client is not
/// throttled as one abusive user would be (the limiter still runs). <c>run.sh</c> builds and runs
/// everything in Release for it.
/// </summary>
internal static class PerformanceProfile
{
    public static void Apply(
        AppHostSettings settings, PortalProject access, PortalProject gateway, IEnumerable<PortalProject> parts)
    {
        if (!settings.Performance)
            return;
        foreach (var project in parts.SelectMany(part => part.Instances))
        {
            project
                .WithEnvironment("Telemetry__TraceSampleRatio",
                    settings.TraceSampleRatio.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithEnvironment("Logging__LogLevel__Default", "Warning")
                // Aspire exports every second for a lively dashboard: here metrics every 10 s and spans and logs
                // in batches every 5 s, the OpenTelemetry defaults, so that seven processes export (and the
                // dashboard ingests) a tenth as often.
                .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", "10000")
                .WithEnvironment("OTEL_BSP_SCHEDULE_DELAY", "5000")
                .WithEnvironment("OTEL_BLRP_SCHEDULE_DELAY", "5000");
        }
        // bench/Load signs in the same directory (People.LoadDirectory).
        access.Each(instance => instance.WithEnvironment("Demo__Load__CompanyCount", "10")
            .WithEnvironment("Demo__Load__MembersPerCompany", "4")
            .WithEnvironment("Demo__Load__StaffCount", "10"));
        gateway.Each(instance => instance.WithEnvironment("Gateway__ApiRequestsPerSecond", "100000")
            .WithEnvironment("Gateway__ApiBurst", "100000"));
    }
}
