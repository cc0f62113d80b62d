using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Clients that write their whole body before reading the answer (Python's urllib, HttpClient
/// without Expect: 100-continue) hear the 413 too, rather than a connection reset.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class OversizeBodyTests(PortalApp portal)
{
    [Theory]
    [InlineData("/api/tickets", "application/json", 40, false)]
    [InlineData("/api/tickets", "application/json", 40, true)]
    [InlineData("/api/attachments", "multipart/form-data; boundary=x", 21, false)]
    public async Task A_client_that_writes_everything_first_reads_the_413(
        string path, string contentType, int mebibytes, bool chunked)
    {
        var token = await portal.TokenAsync(Demo.Camille);
        using var gateway = portal.Gateway();
        var address = gateway.BaseAddress!;
        var body = Body(contentType, mebibytes * 1024 * 1024);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port, timeout.Token);
        var stream = socket.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {token}\r\n"
            + $"Content-Type: {contentType}\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
        if (chunked)
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                var size = Math.Min(64 * 1024, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"), timeout.Token);
                await stream.WriteAsync(body.AsMemory(offset, size), timeout.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
        }
        else
        {
            // All of it, before reading a byte: this is where a reset would come.
            await stream.WriteAsync(body, timeout.Token);
        }

        var (status, headers, content) = await ReadResponseAsync(stream, timeout.Token);
        Assert.Equal(413, status);
        Assert.Contains("application/problem+json", headers);
        Assert.Equal("request.too_large", JsonDocument.Parse(content).RootElement.GetProperty("code").GetString());
    }

    private static byte[] Body(string contentType, int size)
    {
        var body = new byte[size];
        if (contentType.StartsWith("multipart"))
        {
            var head = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gros.pdf\"\r\n"u8
                + "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"u8;
            body.AsSpan().Fill((byte)'a');
            head.CopyTo(body);
            "\r\n--x--\r\n"u8.CopyTo(body.AsSpan(size - 10));
        }
        else
        {
            body.AsSpan().Fill((byte)'a');
            "{\"body\":\""u8.CopyTo(body);
            "\"}"u8.CopyTo(body.AsSpan(size - 2));
        }
        return body;
    }

    private static async Task<(int Status, string Headers, string Content)> ReadResponseAsync(
        NetworkStream stream, CancellationToken ct)
    {
        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = await stream.ReadAsync(buffer, ct);
            Assert.True(n > 0, "the connection closed before a whole answer came");
            received.AddRange(buffer.AsSpan(0, n));
            var bytes = received.ToArray();
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end < 0)
                continue;
            var headers = Encoding.ASCII.GetString(bytes, 0, end);
            var rest = bytes[(end + 4)..];
            var length = headers.Split("\r\n")
                .FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var content = length is not null
                ? (rest.Length >= int.Parse(length[15..]) ? rest[..int.Parse(length[15..])] : null)
                : (rest.AsSpan().EndsWith("0\r\n\r\n"u8) ? Unchunk(rest) : null);
            if (content is not null)
                return (int.Parse(headers[9..12]), headers, Encoding.UTF8.GetString(content));
        }
    }

    private static byte[] Unchunk(byte[] chunked)
    {
        var content = new List<byte>();
        for (var at = 0; ;)
        {
            var line = at + chunked.AsSpan(at).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, at, line - at), 16);
            if (size == 0)
                return [.. content];
            content.AddRange(chunked.AsSpan(line + 2, size));
            at = line + 2 + size + 2;
        }
    }
}
