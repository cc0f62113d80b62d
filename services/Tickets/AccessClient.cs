using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portal.Tickets;

public sealed record AccessUser(Guid Id, string DisplayName, bool Active = true);

public sealed record AccessListView(string Mode, IReadOnlyList<AccessUser> Users, Guid CreatorId);

public sealed record AccessRegistration(Guid TicketId, Guid CompanyId, Guid CreatorId, string Mode, IReadOnlyList<Guid> UserIds);

/// <summary>
/// Calls to Access on the caller's behalf (their own token), through service discovery and the
/// standard resilience handler.
/// </summary>
public sealed class AccessClient(HttpClient http, IHttpContextAccessor context)
{
    public async Task<AccessListView?> GetAsync(Guid ticketId, CancellationToken ct)
    {
        using var request = Authorized(HttpMethod.Get, $"/api/tickets/{ticketId}/access");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<AccessListView>(ct);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (AuthenticationHeaderValue.TryParse(context.HttpContext?.Request.Headers.Authorization, out var header))
            request.Headers.Authorization = header;
        return request;
    }
}
