using Portal.Testing;
// Uploads and downloads one 1 GiB file through the gateway of a whole Portal started by the
// AppHost (empty servers, upload limit raised for the run), prints throughput and the peak
// resident memory of the gateway and the Attachments service, then uploads the same file straight
// to Azurite with the SDK for comparison.
//   dotnet run -c Release --project bench/Attachments.Bench [-- <size in MiB>]
// With "sweep N", measures instead how fast the orphan sweep deletes N orphans (SweepBench).
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

if (args is ["sweep", ..])
{
    await Portal.Attachments.Bench.SweepBench.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20_000);
    return;
}

var sizeMiB = args.Length > 0 ? int.Parse(args[0]) : 1024;
var size = sizeMiB * 1024L * 1024;
var path = Path.Combine(Path.GetTempPath(), $"portal-bench-{sizeMiB}m.pdf");
var fileHash = await WriteFileAsync(path, size);
Console.WriteLine($"file: {path}, {sizeMiB} MiB of random bytes behind a PDF header, sha256 {fileHash[..16]}…");

var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
    ["Portal:Ephemeral=true", $"Portal:MaxAttachmentSize={size + 1024 * 1024}", "--environment", "Development"],
    (options, _) => options.DisableDashboard = true);
builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
    .AddFilter("AppHost.Resources", LogLevel.None)
    .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
await using var app = await builder.BuildAsync();
await app.StartAsync();
foreach (var resource in new[] { "access", "attachments", "gateway" })
    await app.ResourceNotifications.WaitForResourceHealthyAsync(resource);

using var http = new HttpClient
{
    BaseAddress = app.GetEndpoint("gateway", "http"),
    Timeout = Timeout.InfiniteTimeSpan
};
var token = await (await http.PostAsJsonAsync("/api/auth/token", new { email = Demo.Marc, password = Demo.Password }))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TokenBody>();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);

var gatewayPid = Pid("Portal.Gateway");
var attachmentsPid = Pid("Portal.Attachments");
Console.WriteLine(
    $"at rest: gateway {Rss(gatewayPid, "VmRSS")} MiB, attachments {Rss(attachmentsPid, "VmRSS")} MiB resident");

// Upload, streamed from disk by HttpClient and by every hop after it.
var clock = Stopwatch.StartNew();
await using (var file = File.OpenRead(path))
{
    using var form = new MultipartFormDataContent();
    var part = new StreamContent(file, 81920);
    part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
    form.Add(part, "file", "bench.pdf");
    var response = await http.PostAsync("/api/attachments", form);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException(
            $"upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    var uploaded = await response.Content.ReadFromJsonAsync<Uploaded>();
    clock.Stop();
    Report("upload through the gateway", size, clock.Elapsed);
    if (uploaded!.Sha256 != fileHash)
        throw new InvalidOperationException("The stored checksum differs from the file's.");

    clock.Restart();
    await using var download = await http.GetStreamAsync($"/api/attachments/{uploaded.Id}");
    var downloadedHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(download));
    clock.Stop();
    Report("download through the gateway", size, clock.Elapsed);
    if (downloadedHash != fileHash)
        throw new InvalidOperationException("The downloaded bytes differ from the file's.");
}
Console.WriteLine($"peak resident memory: gateway {Rss(gatewayPid, "VmHWM")} MiB, "
    + $"attachments {Rss(attachmentsPid, "VmHWM")} MiB (since start-up)");

// The same file straight to Azurite with the SDK: once as the service does it (1 MiB blocks, one at a time), once
// with the SDK's defaults.
var container = new BlobServiceClient(await app.GetConnectionStringAsync("blobs")).GetBlobContainerClient("bench");
await container.CreateIfNotExistsAsync();
foreach (var (label, transfer) in new[]
{
    ("direct SDK upload to Azurite, 1 MiB blocks, 1 at a time", Blocks(1, 1)),
    ("direct SDK upload to Azurite, 4 MiB blocks, 1 at a time", Blocks(4, 1)),
    ("direct SDK upload to Azurite, 4 MiB blocks, 2 at a time", Blocks(4, 2)),
    ("direct SDK upload to Azurite, 8 MiB blocks, 2 at a time", Blocks(8, 2)),
    ("direct SDK upload to Azurite, SDK defaults", default(Azure.Storage.StorageTransferOptions)),
})
{
    clock.Restart();
    await using var file = File.OpenRead(path);
    await container.GetBlobClient(Guid.NewGuid().ToString("N"))
        .UploadAsync(file, new BlobUploadOptions { TransferOptions = transfer });
    clock.Stop();
    Report(label, size, clock.Elapsed);
}

await app.StopAsync();
File.Delete(path);

static Azure.Storage.StorageTransferOptions Blocks(int mebibytes, int concurrency) => new()
{
    InitialTransferSize = mebibytes << 20, MaximumTransferSize = mebibytes << 20, MaximumConcurrency = concurrency,
};

static void Report(string what, long bytes, TimeSpan elapsed) =>
    Console.WriteLine($"{what}: {elapsed.TotalSeconds:F1} s, {bytes / 1048576.0 / elapsed.TotalSeconds:F0} MiB/s");

static async Task<string> WriteFileAsync(string path, long size)
{
    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    await using var file = File.Create(path);
    var buffer = new byte[1 << 20];
    for (long written = 0; written < size; written += buffer.Length)
    {
        Random.Shared.NextBytes(buffer);
        if (written == 0)
            "%PDF-1.7\n"u8.CopyTo(buffer);
        var count = (int)Math.Min(buffer.Length, size - written);
        sha.AppendData(buffer, 0, count);
        await file.WriteAsync(buffer.AsMemory(0, count));
    }
    return Convert.ToHexStringLower(sha.GetCurrentHash());
}

// The services run as their own processes: found by their assembly name on the command line.
static int Pid(string assembly) => Directory.EnumerateDirectories("/proc")
    .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), out var pid), Pid: pid))
    .Where(p => p.Ok)
    .FirstOrDefault(p =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(p.Dir, "cmdline")).Split('\0')
                .Any(arg => Path.GetFileName(arg) is var name && (name == assembly || name == assembly + ".dll"));
        }
        catch (IOException) { return false; }
    }) is { Ok: true } found ? found.Pid : throw new InvalidOperationException($"No process runs {assembly}.");

static long Rss(int pid, string field) => long.Parse(File.ReadLines($"/proc/{pid}/status")
    .First(l => l.StartsWith(field + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;

internal sealed record TokenBody(string AccessToken);

internal sealed record Uploaded(Guid Id, string Sha256);
