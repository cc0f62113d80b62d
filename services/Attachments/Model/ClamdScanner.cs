using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Portal.Attachments.Model;

public sealed class ClamdOptions
{
    /// <summary>clamd's TCP address; empty leaves the built-in content check alone.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 3310;

    /// <summary>
    /// clamd's StreamMaxLength must be at least the attachment limit, or big files come back as errors.
    /// </summary>
    public int ChunkSize { get; set; } = 64 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Streams a stored file to clamd with the INSTREAM command (length-prefixed chunks, a zero-length
/// chunk to end) after the content check has passed. A file clamd could not judge stays pending,
/// so it is neither served nor attached.
/// </summary>
public sealed partial class ClamdScanner(
    BlobContainerClient container,
    IOptions<ClamdOptions> options,
    ILogger<ClamdScanner> logger) : IFileScanner
{
    public async Task<ScanState> ScanAsync(Guid attachmentId, FileKind kind, CancellationToken ct)
    {
        try
        {
            await using var file =
                await container.GetBlobClient(attachmentId.ToString("N")).OpenReadAsync(cancellationToken: ct);
            return await ScanAsync(file, ct);
        }
        // Whatever went wrong (clamd, the network, the blob), an unjudged file is not a clean one.
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogScanFailed(attachmentId, ex);
            return ScanState.Pending;
        }
    }

    public async Task<ScanState> ScanAsync(Stream content, CancellationToken ct)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(settings.Host!, settings.Port, timeout.Token);
        await using var stream = tcp.GetStream();

        await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), timeout.Token);
        var buffer = new byte[4 + settings.ChunkSize];
        int read;
        while ((read = await content.ReadAtLeastAsync(
            buffer.AsMemory(4), settings.ChunkSize, throwOnEndOfStream: false, timeout.Token)) > 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
            await stream.WriteAsync(buffer.AsMemory(0, 4 + read), timeout.Token);
        }
        await stream.WriteAsync(new byte[4], timeout.Token);

        var reply = new MemoryStream();
        var chunk = new byte[256];
        while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
        {
            reply.Write(chunk, 0, read);
            if (chunk[read - 1] == 0)
                break;
        }
        var answer = Encoding.ASCII.GetString(reply.ToArray()).TrimEnd('\0', '\n');
        return Verdict(answer);
    }

    /// <summary>
    /// "stream: OK" is clean, "stream: &lt;name&gt; FOUND" is rejected; anything else (an error) leaves it pending.
    /// </summary>
    public static ScanState Verdict(string answer) =>
        answer.EndsWith(" FOUND", StringComparison.Ordinal) ? ScanState.Rejected
        : answer.EndsWith(": OK", StringComparison.Ordinal) ? ScanState.Clean
        : ScanState.Pending;

    [LoggerMessage(LogLevel.Warning, "clamd could not scan attachment {AttachmentId}; it stays pending")]
    private partial void LogScanFailed(Guid attachmentId, Exception exception);
}
