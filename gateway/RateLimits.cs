using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Portal.Gateway;

/// <summary>
/// One token bucket per signed-in user for API calls, and a stricter one per client address for
/// sign-in, so that one user's burst never slows another. Over the limit: 429, <c>Retry-After</c>,
/// <c>problem+json</c>.
/// </summary>
public static class RateLimits
{
    public const string SignInPath = "/api/auth/token";

    /// <summary>
    /// The caller's address, or the one the web front end forwards for (the last of <c>X-Forwarded-For</c>).
    /// </summary>
    public static string ClientAddress(HttpContext context, GatewayOptions limits)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is { IsIPv4MappedToIPv6: true })
            peer = peer.MapToIPv4();
        var address = peer?.ToString() ?? "unknown";
        if (peer is not null && limits.TrustedProxies.Contains(address)
            && context.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded
            && forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .LastOrDefault() is { } client
            && System.Net.IPAddress.TryParse(client, out var parsed))
            return parsed.ToString();
        return address;
    }

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services, GatewayOptions limits) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path;
                if (path.StartsWithSegments("/health") || path.StartsWithSegments("/alive"))
                    return RateLimitPartition.GetNoLimiter("probes");
                var address = ClientAddress(context, limits);
                if (path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetTokenBucketLimiter("sign-in:" + address,
                        _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = limits.SignInBurst,
                            TokensPerPeriod = 1,
                            ReplenishmentPeriod = limits.SignInRefillPeriod,
                            QueueLimit = 0,
                        });
                }
                var key = context.User.Identity?.IsAuthenticated == true
                    ? "user:" + context.User.UserId()
                    : "address:" + address;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.ApiBurst,
                    TokensPerPeriod = limits.ApiRequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? wait
                    : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var context = rejected.HttpContext;
                context.Response.Headers.RetryAfter = seconds.ToString();
                await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails =
                        {
                            Status = StatusCodes.Status429TooManyRequests,
                            Title = "Too many requests",
                            Detail = $"Trop de requêtes : réessayez dans {seconds} s.",
                            Extensions = { ["code"] = "rate_limited" },
                        },
                    });
            };
        });
}
