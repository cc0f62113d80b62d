using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Threading.Channels;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// One user's notification stream through the gateway, read in the background as a front end reads it.
/// </summary>
public sealed class LiveStream : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly Channel<(SseItem<string> Item, long ReceivedAt)> _events =
        Channel.CreateUnbounded<(SseItem<string>, long)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private LiveStream(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
        _reader = Task.Run(async () =>
        {
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(_stop.Token);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
                    await _events.Writer.WriteAsync((item, Stopwatch.GetTimestamp()));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        });
    }

    public string? Instance =>
        _response.Headers.TryGetValues("X-Portal-Instance", out var values) ? values.Single() : null;

    public string? LastEventId { get; private set; }

    public static async Task<LiveStream> OpenAsync(PortalApp portal, string email, string? lastEventId = null)
    {
        var client = await portal.GatewayAsAsync(email);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new LiveStream(client, response);
    }

    /// <summary>The next event of that type (others are skipped), with the moment it arrived.</summary>
    public Task<(SseItem<string> Item, long ReceivedAt)> NextAsync(string eventType, TimeSpan? timeout = null) =>
        NextAsync(type => type == eventType, timeout);

    /// <summary>The next event of a type <paramref name="wanted"/> accepts (others are skipped).</summary>
    public async Task<(SseItem<string> Item, long ReceivedAt)> NextAsync(
        Func<string, bool> wanted, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var next = await _events.Reader.ReadAsync(cts.Token);
            if (!string.IsNullOrEmpty(next.Item.EventId))
                LastEventId = next.Item.EventId;
            if (wanted(next.Item.EventType))
                return next;
        }
    }

    /// <summary>Every event before the next one of that type, in order.</summary>
    public async Task<IReadOnlyList<SseItem<string>>> EventsBeforeAsync(string eventType, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var before = new List<SseItem<string>>();
        while (true)
        {
            var next = await _events.Reader.ReadAsync(cts.Token);
            if (next.Item.EventType == eventType)
                return before;
            before.Add(next.Item);
        }
    }

    /// <summary>Waits until the server ends the stream (whatever events are left unread).</summary>
    public async Task EndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (await _events.Reader.WaitToReadAsync(cts.Token))
            _events.Reader.TryRead(out _);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reader;
        _client.Dispose();
        _stop.Dispose();
    }
}
