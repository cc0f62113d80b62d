using System.Text.Json;

namespace Portal.Tickets;

/// <summary>
/// Registers a new thread's access list at Access before the thread is accepted, with Tickets' own
/// service token (the internal endpoint takes no person's token); the creator is the signed-in caller.
/// </summary>
public sealed class AccessRegistry(HttpClient http)
{
    public sealed record Rejection(int Status, JsonElement Problem);

    /// <summary>The stored list, or Access's problem answer when it refuses the registration.</summary>
    public async Task<(AccessListView? List, Rejection? Rejection)> RegisterAsync(
        AccessRegistration registration, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/internal/ticket-access", registration, ct);
        if (response.IsSuccessStatusCode)
            return (await response.Content.ReadFromJsonAsync<AccessListView>(ct), null);
        if ((int)response.StatusCode is >= 400 and < 500 and not 401 and not 403)
            return (null,
                new Rejection((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(ct)));
        response.EnsureSuccessStatusCode();
        return default;
    }
}
