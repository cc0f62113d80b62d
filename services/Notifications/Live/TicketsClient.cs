using System.Net.Http.Headers;

namespace Portal.Notifications.Live;

/// <summary>The caller's unread thread count (the badge), asked of Tickets with the caller's own token.</summary>
public sealed class TicketsClient(HttpClient http)
{
    public async Task<long?> UnreadCountAsync(string authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tickets/unread-count");
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                return null;
            return (await response.Content.ReadFromJsonAsync<UnreadCount>(ct))?.Count;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // The badge is sent again on the next wake or heartbeat.
            return null;
        }
    }

    private sealed record UnreadCount(long Count);
}
