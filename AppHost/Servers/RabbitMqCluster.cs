using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>What the first node's management API says of its cluster.</summary>
internal static class RabbitMqCluster
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task EnsureRunningAsync(RabbitMqServerResource server, int nodes, CancellationToken ct)
    {
        var management = server.GetEndpoint(RabbitMqServerResource.ManagementEndpointName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(management.Url), "/api/nodes"));
        var credentials = $"{await server.User.GetValueAsync(ct)}:{await server.Password.GetValueAsync(ct)}";
        request.Headers.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await Http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var running = list.RootElement.EnumerateArray().Count(n => n.GetProperty("running").GetBoolean());
        if (running < nodes)
            throw new InvalidOperationException($"{running} of {nodes} broker nodes run in the cluster.");
    }
}
