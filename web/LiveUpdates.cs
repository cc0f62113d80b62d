using System.Net.ServerSentEvents;
using System.Text.Json;
using Portal.Web.Api;

namespace Portal.Web;

/// <summary>
/// One live circuit's view of the notification stream: the unread count (the badge) and a signal
/// for each new notification, so that pages refresh without a reload. Reconnects after a cut.
/// </summary>
public sealed class LiveUpdates(PortalApi api, UserSession session, ILogger<LiveUpdates> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    public long? UnreadCount { get; private set; }

    /// <summary>Raised on the stream's thread: handlers use InvokeAsync.</summary>
    public event Func<Task>? Changed;

    public bool SessionExpired { get; private set; }

    /// <summary>
    /// Why the service closed this stream for good (too many open for the person), in French; null while it runs.
    /// </summary>
    public string? ClosedMessage { get; private set; }

    public void Start()
    {
        _reader ??= Task.Run(ReadAsync);
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (await session.CurrentAsync() is not { } user)
                    return;
                using var response = await api.StreamAsync(_stop.Token);
                await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
                {
                    if (item.EventType == "unread-count")
                        UnreadCount = JsonSerializer.Deserialize<JsonElement>(item.Data)
                            .GetProperty("count").GetInt64();
                    else if (item.EventType == "closed")
                        ClosedMessage = JsonSerializer.Deserialize<JsonElement>(item.Data)
                            .GetProperty("message").GetString();
                    else if (item.EventType != "notification")
                        continue;
                    if (Changed is { } changed)
                        await changed();
                }
            }
            catch (SessionExpiredException)
            {
                SessionExpired = true;
                if (Changed is { } changed)
                    await changed();
                return;
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                logger.LogDebug(ex, "Live stream cut; reconnecting");
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // Closed by the service: coming straight back would close another of the person's streams.
            if (ClosedMessage is not null)
                return;
            await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
            await _reader.ContinueWith(_ => { }, CancellationToken.None);
        _stop.Dispose();
    }
}
