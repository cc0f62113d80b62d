using Microsoft.Extensions.Configuration;

namespace Portal.AppHost;

/// <summary>
/// Run mode keeps data in the repository's git-ignored <c>.data/</c> and puts the gateway and the
/// broker on the fixed ports of API.md; ephemeral mode (<c>Portal:Ephemeral=true</c>, used by the
/// tests) starts every server empty in a fresh folder, on free ports.
/// </summary>
internal sealed record AppHostSettings(
    string DataDirectory,
    bool Durable,
    int? GatewayPort,
    int? RabbitMqPort,
    int? RabbitMqManagementPort,
    int? MailInboxPort)
{
    /// <summary>
    /// <c>Portal:MaxAttachmentSize</c> (bytes), when set, raises or lowers the upload limit of the
    /// Attachments service and the gateway's upload route together, so that they always agree.
    /// </summary>
    public long? MaxAttachmentSize { get; init; }

    /// <summary>
    /// The address the web front end calls the gateway from (<c>Portal:WebSourceAddress</c>), the
    /// only one the gateway believes when it forwards a browser's address; any loopback address
    /// reaches the gateway on Linux.
    /// </summary>
    public string WebSourceAddress { get; init; } = "127.0.0.2";

    /// <summary>
    /// Where every project sends its telemetry (OTLP/HTTP, metrics every second) instead of the
    /// dashboard (<c>Portal:TelemetryEndpoint</c>): the tests' own receiver.
    /// </summary>
    public string? TelemetryEndpoint { get; init; }

    /// <summary>
    /// The performance profile (<c>PORTAL_PROFILE=perf</c>): Release builds, a sampled share of
    /// traces (<c>PORTAL_TRACE_SAMPLE_RATIO</c>, default 0.01), warnings only in the logs, and the
    /// load directory that <c>bench/Load</c> signs in. See <see cref="PerformanceProfile"/>.
    /// </summary>
    public bool Performance { get; init; }

    /// <summary>
    /// A file holding how many seconds Tickets' clock runs ahead (<c>Portal:ClockFile</c>, ephemeral mode only): the
    /// clock the browser tests move, to see a thread's first-response target pass.
    /// </summary>
    public string? ClockFile { get; init; }

    public double TraceSampleRatio { get; init; } = 1;

    /// <summary>
    /// The cluster topology (<c>PORTAL_TOPOLOGY=cluster</c>, or <c>Portal:Topology=cluster</c>): a RabbitMQ
    /// cluster of three nodes and two instances of every part. The default topology runs one node, and two
    /// instances of Notifications only (a live stream held by one hears what the other handled).
    /// </summary>
    public bool Cluster { get; init; }

    public int InstancesOf(string part) => Cluster || part == "notifications" ? 2 : 1;

    /// <summary>
    /// The AMQP and management ports of the cluster's other nodes: fixed in run mode, like the first's.
    /// </summary>
    public IReadOnlyList<(int Amqp, int Management)> BrokerPeerPorts() => !Cluster
        ? []
        : RabbitMqPort is { } port && RabbitMqManagementPort is { } management
            ? [(port + 1, management + 1), (port + 2, management + 2)]
            : [(FreePort.Next(), FreePort.Next()), (FreePort.Next(), FreePort.Next())];

    public static AppHostSettings From(IDistributedApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (configuration.GetValue<bool>("Portal:Ephemeral"))
        {
            var folder = Path.Combine(Path.GetTempPath(), "portal-test", Guid.NewGuid().ToString("N")[..12]);
            return new AppHostSettings(folder, Durable: false, FreePort.Next(), null, null, null)
            {
                MaxAttachmentSize = configuration.GetValue<long?>("Portal:MaxAttachmentSize"),
                WebSourceAddress = configuration["Portal:WebSourceAddress"] ?? "127.0.0.2",
                TelemetryEndpoint = configuration["Portal:TelemetryEndpoint"],
                ClockFile = configuration["Portal:ClockFile"],
                Cluster = IsCluster(configuration),
            };
        }

        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var performance = configuration["PORTAL_PROFILE"] == "perf";
        var cluster = IsCluster(configuration);
        // The cluster keeps its data apart: its queues have replicas on nodes a single node never knew.
        return new AppHostSettings(
            configuration["Portal:DataDirectory"] ?? Path.Combine(root, ".data", cluster ? "cluster" : ""),
            Durable: true,
            configuration.GetValue("PORTAL_GATEWAY_PORT", 8080),
            configuration.GetValue("Portal:RabbitMqPort", 5672),
            configuration.GetValue("Portal:RabbitMqManagementPort", 15672),
            configuration.GetValue("Portal:MailInboxPort", 1080))
        {
            MaxAttachmentSize = configuration.GetValue<long?>("Portal:MaxAttachmentSize"),
            WebSourceAddress = configuration["Portal:WebSourceAddress"] ?? "127.0.0.2",
            Performance = performance,
            TraceSampleRatio = performance ? configuration.GetValue("PORTAL_TRACE_SAMPLE_RATIO", 0.01) : 1,
            Cluster = cluster,
        };
    }

    private static bool IsCluster(IConfiguration configuration) =>
        (configuration["Portal:Topology"] ?? configuration["PORTAL_TOPOLOGY"]) == "cluster";
}
