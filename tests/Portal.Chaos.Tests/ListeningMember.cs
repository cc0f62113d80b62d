using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Portal.Chaos.Tests;

/// <summary>
/// A member's live stream, read as a front end reads it: when the stream breaks (its instance was killed, the
/// gateway's connection dropped) it opens again with <c>Last-Event-ID</c>, so that what was missed is sent again.
/// Counts each notification it hears, by id.
/// </summary>
public sealed class ListeningMember : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    // From the first notification on: a first connection without it would start from the newest, and what was written
    // between a break and the next connection would be missed (the tally is by thread, so older ones do not count).
    private string? _lastEventId = "0";
    private volatile bool _connected;

    private ListeningMember(HttpClient client, Guid userId)
    {
        _client = client;
        UserId = userId;
        _reader = Task.Run(ListenAsync);
    }

    public Guid UserId { get; }

    /// <summary>How many times each notification was heard.</summary>
    public ConcurrentDictionary<Guid, int> Heard { get; } = new();

    public int Reconnections { get; private set; }

    public static async Task<ListeningMember> StartAsync(HttpClient client)
    {
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        var member = new ListeningMember(client, me.GetProperty("id").GetGuid());
        // Listening before the first post: what follows is what it must hear.
        await Eventually.TrueAsync(() => member._connected, within: TimeSpan.FromSeconds(30));
        return member;
    }

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
                if (_lastEventId is not null)
                    request.Headers.Add("Last-Event-ID", _lastEventId);
                using var response = await _client.SendAsync(
                    request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    _connected = true;
                    await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
                    {
                        if (item.EventType != "notification")
                            continue;
                        var id = JsonDocument.Parse(item.Data).RootElement.GetProperty("id").GetGuid();
                        Heard.AddOrUpdate(id, 1, (_, n) => n + 1);
                        _lastEventId = item.EventId;
                    }
                }
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Reconnections++;
            await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _client.Dispose();
    }
}
