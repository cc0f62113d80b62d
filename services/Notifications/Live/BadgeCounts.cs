using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Portal.Notifications.Model;

namespace Portal.Notifications.Live;

/// <summary>
/// The unread thread counts (badges) of this instance's live streams, asked of Tickets in batches with this
/// service's own token: the streams' questions gather while one is in flight, and at most one leaves every
/// <see cref="NotificationOptions.BadgeGap"/>. A flow of notifications to many streams costs a few calls a second
/// instead of one per stream and wake; after a quiet spell the first question leaves at once.
/// </summary>
public sealed class BadgeCounts(IHttpClientFactory httpClients, IOptions<NotificationOptions> options)
    : BackgroundService
{
    public const string HttpClientName = "tickets";

    /// <summary>Tickets answers at most this many readers at once.</summary>
    private const int MaxReaders = 1000;

    private readonly Channel<Question> _questions = Channel.CreateUnbounded<Question>(
        new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The reader's count, or null when Tickets could not answer (the stream asks again later).</summary>
    public Task<long?> CountAsync(PortalUser reader, CancellationToken ct)
    {
        var question = new Question(reader, new(TaskCreationOptions.RunContinuationsAsynchronously));
        _questions.Writer.TryWrite(question);
        return question.Answer.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Question>();
        while (await _questions.Reader.WaitToReadAsync(stoppingToken))
        {
            var started = Stopwatch.GetTimestamp();
            while (batch.Count < MaxReaders && _questions.Reader.TryRead(out var question))
                batch.Add(question);
            var counts = await AskAsync(batch.Select(q => q.Reader).DistinctBy(r => r.UserId).ToList(), stoppingToken);
            foreach (var question in batch)
                question.Answer.TrySetResult(
                    counts is not null && counts.TryGetValue(question.Reader.UserId, out var count) ? count : null);
            batch.Clear();
            var rest = options.Value.BadgeGap - Stopwatch.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
                await Task.Delay(rest, stoppingToken);
        }
    }

    private async Task<Dictionary<Guid, long>?> AskAsync(IReadOnlyList<PortalUser> readers, CancellationToken ct)
    {
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).PostAsJsonAsync(
                "/internal/unread-counts",
                new { readers = readers.Select(r => new { r.UserId, staff = r.IsStaff, r.CompanyId }) }, ct);
            if (!response.IsSuccessStatusCode)
                return null;
            var counts = await response.Content.ReadFromJsonAsync<List<ReaderCount>>(ct) ?? [];
            return counts.ToDictionary(c => c.UserId, c => c.Count);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // The badges are asked again on the streams' next wake or heartbeat.
            return null;
        }
    }

    private sealed record Question(PortalUser Reader, TaskCompletionSource<long?> Answer);

    private sealed record ReaderCount(Guid UserId, long Count);
}
