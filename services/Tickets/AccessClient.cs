using System.Net;
using System.Text.Json;
using Portal.Tickets.Model;

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

    /// <summary>The service's staff with their teams (a staff caller's own token).</summary>
    public async Task<IReadOnlyList<StaffMember>> StaffAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<StaffMember>>("/api/staff", ct) ?? [];

    /// <summary>The company's name as the directory has it (a staff caller's own token).</summary>
    public async Task<string?> CompanyNameAsync(Guid companyId, CancellationToken ct) =>
        (await http.GetFromJsonAsync<List<CompanyName>>("/api/companies", ct))?
            .FirstOrDefault(c => c.Id == companyId)?.Name;

    private sealed record CompanyName(Guid Id, string Name);
}
