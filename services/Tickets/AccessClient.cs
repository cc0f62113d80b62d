using System.Net;
using System.Text.Json;

namespace Portal.Tickets;

public sealed record AccessUser(Guid Id, string DisplayName, bool Active = true);

public sealed record AccessListView(string Mode, IReadOnlyList<AccessUser> Users, Guid CreatorId);

public sealed record AccessRegistration(
    Guid TicketId,
    Guid CompanyId,
    Guid CreatorId,
    string Mode,
    IReadOnlyList<Guid> UserIds);

/// <summary>
/// Calls to Access on the caller's behalf (their own token: <see cref="CallerToken"/>), through
/// service discovery and the standard resilience handler.
/// </summary>
public sealed class AccessClient(HttpClient http)
{
    public async Task<AccessListView?> GetAsync(Guid ticketId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/api/tickets/{ticketId}/access", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<AccessListView>(ct);
    }
}
