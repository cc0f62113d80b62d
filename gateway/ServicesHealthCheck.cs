using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Gateway;

/// <summary>
/// The gateway's view of every service it routes to (each cluster of <c>ReverseProxy:Clusters</c>):
/// each one's own <c>/health</c>, asked at once. Degraded, naming them, when one is degraded,
/// unhealthy or does not answer; the gateway itself still serves the others. Only each service's
/// status is shown here, not its details (the gateway's health is public).
/// </summary>
public sealed class ServicesHealthCheck(IHttpClientFactory clients, IConfiguration configuration) : IHealthCheck
{
    public const string ClientName = "service-health";

    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var services = configuration.GetSection("ReverseProxy:Clusters").GetChildren()
            .Select(cluster => (Name: cluster.Key,
                Address: cluster.GetSection("Destinations").GetChildren().Select(d => d["Address"]).FirstOrDefault()))
            .Where(s => s.Address is not null)
            .ToList();
        var statuses = await Task.WhenAll(services.Select(s => StatusOfAsync(s.Address!, cancellationToken)));
        var data = new Dictionary<string, object>();
        for (var i = 0; i < services.Count; i++)
            data[services[i].Name] = statuses[i];
        var notHealthy = data.Where(d => (string)d.Value != nameof(HealthStatus.Healthy))
            .Select(d => $"{d.Key}: {d.Value}")
            .ToList();
        return notHealthy.Count == 0
            ? HealthCheckResult.Healthy("Every service is healthy.", data)
            : HealthCheckResult.Degraded(string.Join(", ", notHealthy) + ".", data: data);
    }

    private async Task<string> StatusOfAsync(string address, CancellationToken ct)
    {
        try
        {
            using var response =
                await clients.CreateClient(ClientName).GetAsync(new Uri(new Uri(address), "/health"), ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            return json.RootElement.TryGetProperty("status", out var status) && status.GetString() is { } text
                ? text
                : "Unknown";
        }
        catch (Exception ex) when (!ct.IsCancellationRequested
            && ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            return "Unreachable";
        }
    }
}
