namespace Portal.Notifications.Live;

/// <summary>
/// The caller's unread thread count (the badge), asked of Tickets with the caller's own token
/// (<see cref="CallerToken"/>).
/// </summary>
public sealed class TicketsClient(HttpClient http)
{
    public async Task<long?> UnreadCountAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/api/tickets/unread-count", ct);
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
