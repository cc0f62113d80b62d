// The load harness of issue #14: posts at a fixed open-loop rate, as staff and members over many
// threads, while live streams listen through the gateway; then measures what it cost and what was
// lost. Starts Portal itself in the performance profile when none answers.
//   dotnet run -c Release --project bench/Load -- --rate 100 --seconds 60 --streams 50
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Load;

var options = Options.Parse(args);
await using var portal = await RunningPortal.EnsureAsync(options.Gateway);
await using var database = Database.Find();

// People: one stream each (members of ten companies, staff), signed in from addresses of their own.
var members = await People.SignInAsync(options.Gateway, People.MemberEmails().Take(options.MemberStreams));
var staff = await People.SignInAsync(options.Gateway, People.StaffEmails().Take(Math.Max(1, options.StaffStreams)));
Console.WriteLine($"{members.Count} members of {members.Select(m => m.CompanyId).Distinct().Count()} companies and "
    + $"{staff.Count} staff signed in");

// Threads: opened by members, visible to their whole company, before anything is measured.
var threads = new List<(Guid Id, Guid CompanyId)>();
for (var i = 0; i < options.Threads; i++)
{
    var opener = members[i % members.Count];
    var created = await opener.Gateway.PostAsJsonAsync("/api/tickets", new
    {
        subjectCode = "autre",
        body = $"Fil de charge {i + 1} : ouvert pour la mesure.",
        attachmentIds = Array.Empty<Guid>(),
        visibility = new { mode = "company", userIds = Array.Empty<Guid>() },
    });
    created.EnsureSuccessStatusCode();
    threads.Add(((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
        opener.CompanyId!.Value));
}
Console.WriteLine($"{threads.Count} threads opened");

var streams = members.Concat(staff).Select(p => new LiveStream(p)).ToList();
await Task.WhenAll(streams.Select(s => s.OpenAsync()));
Console.WriteLine($"{streams.Count} live streams open; letting the set-up settle");
await Task.Delay(TimeSpan.FromSeconds(5));

// At rest: the streams open, nothing posted (before the warm-up, whose e-mails and clean-up go on after it). What
// the system spends then, it spends during the run too, whatever the rate.
var processes = new Processes();
var restBefore = processes.CpuMs();
await Task.Delay(TimeSpan.FromSeconds(options.RestSeconds));
var restMsPerSecond = processes.CpuMs().ToDictionary(
    c => c.Key, c => (c.Value - restBefore.GetValueOrDefault(c.Key)) / Math.Max(1, options.RestSeconds));

// Who must hear of each accepted post: the other side (members of the thread's company, or staff).
IEnumerable<Person> RecipientsOf(Post post) =>
    post.Author.IsStaff ? members.Where(m => m.CompanyId == post.CompanyId) : staff;
var random = new Random(2026);

// Post i is due at start + i/rate, whatever happened to the ones before (open loop).
async Task<Post[]> PostAtRateAsync(int count, long start)
{
    var posts = new Post[count];
    var inFlight = new List<Task>(count);
    for (var i = 0; i < count; i++)
    {
        var due = start + (long)(i * Stopwatch.Frequency / options.Rate);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        var thread = threads[i % threads.Count];
        var byStaff = random.NextDouble() < options.StaffShare;
        var colleagues = members.Where(m => m.CompanyId == thread.CompanyId).ToList();
        var author = byStaff ? staff[i % staff.Count] : colleagues[i % colleagues.Count];
        posts[i] = new Post(i, thread.Id, thread.CompanyId, author, due);
        inFlight.Add(posts[i].SendAsync());
    }
    await Task.WhenAll(inFlight);
    return posts;
}
int HeardSince(long since) => streams.Sum(s => s.Arrivals.Count(a => a.Kind == "message_posted" && a.At >= since));

// The warm-up: the same load, not measured, until every stream heard it, so that the run measures the running
// system rather than its first minutes (the JIT compiling and recompiling the hot paths).
if (options.WarmupSeconds > 0)
{
    var warmStart = Stopwatch.GetTimestamp();
    var warm = await PostAtRateAsync((int)(options.Rate * options.WarmupSeconds), warmStart);
    var warmExpected = warm.Where(p => p.Status == 201).Sum(p => RecipientsOf(p).Count());
    var quiet = Stopwatch.StartNew();
    for (var heard = -1; HeardSince(warmStart) < warmExpected && quiet.Elapsed < TimeSpan.FromSeconds(15);)
    {
        if (HeardSince(warmStart) != heard)
            (heard, quiet) = (HeardSince(warmStart), Stopwatch.StartNew());
        await Task.Delay(250);
    }
    Console.WriteLine($"warmed up: {warm.Length} posts in {options.WarmupSeconds} s, "
        + $"{HeardSince(warmStart)}/{warmExpected} events heard");
    await Task.Delay(TimeSpan.FromSeconds(2));
}

await database.ResetStatementsAsync();
var firstSeq = await database.LatestNotificationAsync();
var cpuBefore = processes.CpuMs();
var start = Stopwatch.GetTimestamp();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        processes.SampleMemory();
        await Task.Delay(500, CancellationToken.None);
    }
});
var total = (int)(options.Rate * options.Seconds);
var posts = await PostAtRateAsync(total, start);
var postingSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
var accepted = posts.Where(p => p.Status == 201).ToList();
Console.WriteLine($"{total} posts sent in {postingSeconds:F1} s, {accepted.Count} accepted");

var expected = accepted.SelectMany(p => RecipientsOf(p).Select(r => (p.TicketId, r.Id)))
    .GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
var expectedTotal = expected.Values.Sum();

// Drained when every notification is written and every stream heard of it, or nothing moved for 15 s. The
// polling only counts (it runs on the measured PostgreSQL); who got what is read once, at the end.
var ticketIds = threads.Select(t => t.Id).ToList();
var userIds = members.Concat(staff).Select(p => p.Id).ToList();
var (lastProgress, lastSeen) = (Stopwatch.StartNew(), -1L);
while (true)
{
    var seen = await database.NotificationCountAsync(userIds, firstSeq) + HeardSince(start);
    if (seen >= 2 * expectedTotal || lastProgress.Elapsed > TimeSpan.FromSeconds(15))
        break;
    if (seen != lastSeen)
        (lastSeen, lastProgress) = (seen, Stopwatch.StartNew());
    await Task.Delay(500);
}
var drainedSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
var cpuAfter = processes.CpuMs();
var statements = await database.TopStatementsAsync(15);
var written = await database.NotificationsAsync(ticketIds, userIds, firstSeq);
await sampling.CancelAsync();
await sampler;

var lost = expected.Sum(e => Math.Max(0, e.Value - written.GetValueOrDefault(e.Key)));
var doubled = expected.Sum(e => Math.Max(0, written.GetValueOrDefault(e.Key) - e.Value))
    + written.Where(w => !expected.ContainsKey(w.Key)).Sum(w => w.Value);

// Post → live event, per recipient stream: the n-th event of a thread answers its n-th post.
var eventLatencies = new List<double>();
var (liveLost, liveDoubled) = (0, 0);
foreach (var stream in streams)
{
    var arrivals = stream.Arrivals.Where(a => a.Kind == "message_posted" && a.At >= start)
        .GroupBy(a => a.TicketId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.At).ToList());
    foreach (var group in accepted.Where(p => RecipientsOf(p).Contains(stream.Person)).GroupBy(p => p.TicketId))
    {
        var sent = group.OrderBy(p => p.Done).ToList();
        var heard = arrivals.GetValueOrDefault(group.Key) ?? [];
        eventLatencies.AddRange(sent.Zip(heard, (p, a) => Stopwatch.GetElapsedTime(p.Due, a.At).TotalMilliseconds));
        liveLost += Math.Max(0, sent.Count - heard.Count);
        liveDoubled += Math.Max(0, heard.Count - sent.Count);
        arrivals.Remove(group.Key);
    }
    liveDoubled += arrivals.Values.Sum(a => a.Count);
}
eventLatencies.Sort();
var postLatencies = accepted.Select(p => p.LatencyMs).Order().ToList();

await Task.WhenAll(streams.Select(s => s.DisposeAsync().AsTask()));

Console.WriteLine("gateway against direct: GET /api/me (Access), GET /api/tickets?limit=20 (Tickets)");
var everyone = members.Concat(staff).ToList();
var cheap = await GatewayRatio.MeasureAsync(everyone, "access", "/api/me");
var list = await GatewayRatio.MeasureAsync(everyone, "tickets", "/api/tickets?limit=20");
Console.WriteLine("pgbench: single-row inserts, 32 clients, 10 s");
var pgbench = await database.PgbenchInsertsPerSecondAsync(10);

var report = new Report(options, total, accepted.Count, posts.Count(p => p.Status is not 201), postingSeconds,
    drainedSeconds, postLatencies, eventLatencies, lost, doubled, liveLost, liveDoubled,
    streams.Sum(s => s.Reconnections),
    cpuAfter.ToDictionary(c => c.Key, c => c.Value - cpuBefore.GetValueOrDefault(c.Key)), restMsPerSecond,
    processes.PeakRssMiB,
    cheap, list, pgbench, statements, portal.StartedHere);
var path = report.Write(Path.Combine(RunningPortal.RepositoryRoot, "bench", "Load"));
Console.WriteLine();
// The table ends with the RESULT line.
Console.Write(File.ReadAllText(path));
