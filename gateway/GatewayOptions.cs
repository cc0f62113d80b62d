namespace Portal.Gateway;

/// <summary>
/// The front door's limits (section <c>Gateway</c>); the defaults are ones a busy front end never reaches.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>
    /// API calls per signed-in user: a bucket of this many, refilled by <see cref="ApiRequestsPerSecond"/>.
    /// </summary>
    public int ApiBurst { get; set; } = 200;

    public int ApiRequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// Sign-in attempts per client address: a bucket of this many, one more every <see cref="SignInRefillPeriod"/>.
    /// </summary>
    public int SignInBurst { get; set; } = 30;

    public TimeSpan SignInRefillPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The addresses of the web front end, the one hop trusted to say in <c>X-Forwarded-For</c> whom
    /// it acts for (it signs its users in from its own address); from anyone else, loopback
    /// included, the header is ignored. The AppHost sets it to the front end's own source address.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Front-end origins allowed to call the API from a browser (CORS).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public long MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 64;

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Below this rate (after a grace period) a client sending a body is cut off: a slow client holds nothing for
    /// long.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How much more than a route's limit a refused body may be for Kestrel still to read and drop
    /// it, so that a client that writes before it reads hears the 413 rather than a reset.
    /// </summary>
    public long MaxBodyDrainBytes { get; set; } = 64 * 1024 * 1024;
}
