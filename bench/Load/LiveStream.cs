using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portal.Load;

/// <summary>A notification event as it arrived on a stream: which thread, when (Stopwatch ticks).</summary>
public readonly record struct Arrival(Guid TicketId, string Kind, long At);

/// <summary>One person's live stream through the gateway, recording when each notification arrives.</summary>
public sealed class LiveStream(Person person) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Arrival> _arrivals = [];
    private Task _reading = Task.CompletedTask;
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Person Person => person;

    public int Reconnections { get; private set; }

    public IReadOnlyList<Arrival> Arrivals
    {
        get
        {
            lock (_arrivals)
                return [.. _arrivals];
        }
    }

    public Task OpenAsync()
    {
        _reading = Task.Run(ReadAsync);
        return _open.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReadAsync()
    {
        string? lastEventId = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (lastEventId is not null)
                    request.Headers.Add("Last-Event-ID", lastEventId);
                using var response = await person.Gateway.SendAsync(
                    request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                _open.TrySetResult();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                string? kind = null, data = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                        kind = line[6..].Trim();
                    else if (line.StartsWith("data:", StringComparison.Ordinal))
                        data = line[5..].Trim();
                    else if (line.StartsWith("id:", StringComparison.Ordinal))
                        lastEventId = line[3..].Trim();
                    else if (line.Length == 0)
                    {
                        if (kind == "notification" && data is not null)
                        {
                            var at = Stopwatch.GetTimestamp();
                            var notification = JsonDocument.Parse(data).RootElement;
                            var arrival = new Arrival(notification.GetProperty("ticketId").GetGuid(),
                                notification.GetProperty("kind").GetString()!, at);
                            lock (_arrivals)
                                _arrivals.Add(arrival);
                        }
                        kind = data = null;
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // Reopened with Last-Event-ID, as a browser does: nothing is missed.
            }
            Reconnections++;
            await Task.Delay(200, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
    }
}
