using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Chaos.Tests;

/// <summary>
/// Staff messages posted at a fixed pace (open loop: a slow system shows as latency and failures, not as fewer
/// posts) into one thread of Boulangerie Martin, whose three members listen on live streams.
/// </summary>
public sealed class SteadyLoad(HttpClient staff, Guid ticketId, int perSecond)
{
    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly List<Task> _posts = [];

    public sealed record Outcome(long SentAt, HttpStatusCode? Status, string? ContentType, string? Code);

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    public async Task RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        for (var index = 0; Stopwatch.GetElapsedTime(started) < duration && !ct.IsCancellationRequested; index++)
        {
            var due = TimeSpan.FromSeconds((double)index / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
                await Task.Delay(due, ct);
            _posts.Add(PostAsync(index));
        }
        await Task.WhenAll(_posts);
    }

    private async Task PostAsync(int index)
    {
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await staff.PostAsJsonAsync($"/api/tickets/{ticketId}/messages", new
            {
                body = $"Message n° {index} pendant l'incident : merci de votre patience.",
                attachmentIds = Array.Empty<Guid>(),
            });
            var type = response.Content.Headers.ContentType?.MediaType;
            string? code = null;
            if (!response.IsSuccessStatusCode && type == "application/problem+json")
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            }
            _outcomes.Add(new Outcome(sentAt, response.StatusCode, type, code));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _outcomes.Add(new Outcome(sentAt, null, null, e.GetType().Name));
        }
    }

    /// <summary>
    /// From the first failed post to the last one: how long the system refused or lost posts (zero when none failed).
    /// </summary>
    public TimeSpan Disruption
    {
        get
        {
            var failed = _outcomes.Where(o => o.Status != HttpStatusCode.Created).Select(o => o.SentAt).ToList();
            return failed.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(failed.Min(), failed.Max());
        }
    }
}
