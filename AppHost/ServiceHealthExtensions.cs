using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

public static class ServiceHealthExtensions
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>
    /// The project's <c>/health</c>, read for its status as the project reports it (Healthy,
    /// Degraded or Unhealthy, with why), so the dashboard shows a degraded service as degraded;
    /// Aspire's own HTTP check knows only up (200) or down. Dependents still wait for Healthy.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceHealthCheck(
        this IResourceBuilder<ProjectResource> builder)
    {
        // An instance sharing its part's port answers on an address of its own too: its health is its own.
        var ownAddress = builder.Resource.Annotations.OfType<EndpointAnnotation>()
            .Any(e => e.Name == PortalProject.InstanceEndpointName);
        var endpoint = builder.Resource.GetEndpoint(ownAddress ? PortalProject.InstanceEndpointName : "http");
        var name = $"{builder.Resource.Name}-health";
        builder.ApplicationBuilder.Services.AddHealthChecks()
            .AddAsyncCheck(name, ct => ReadAsync(new Uri(new Uri(endpoint.Url), "/health"), ct));
        return builder.WithHealthCheck(name);
    }

    /// <summary>
    /// The status a Portal process reports at <paramref name="health"/> (its JSON health report), with why when it is
    /// not healthy.
    /// </summary>
    public static async Task<HealthCheckResult> ReadAsync(Uri health, CancellationToken ct)
    {
        try
        {
            using var response = await Http.GetAsync(health, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var report = await JsonDocument.ParseAsync(body, cancellationToken: ct);
            var status = Enum.TryParse<HealthStatus>(report.RootElement.GetProperty("status").GetString(), out var s)
                ? s : HealthStatus.Unhealthy;
            return new HealthCheckResult(status, status == HealthStatus.Healthy ? null : Why(report.RootElement));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }

    // "check: description" for every check that is not healthy.
    private static string Why(JsonElement report) => report.TryGetProperty("checks", out var checks)
        ? string.Join("; ", checks.EnumerateObject()
            .Where(c => c.Value.GetProperty("status").GetString() != nameof(HealthStatus.Healthy))
            .Select(c => $"{c.Name}: {(c.Value.TryGetProperty("description", out var d)
                ? d.GetString()
                : c.Value.GetProperty("status").GetString())}"))
        : "";
}
