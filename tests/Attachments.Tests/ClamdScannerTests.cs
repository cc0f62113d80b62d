using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Attachments.Model;
using Xunit;

namespace Portal.Attachments.Tests;

/// <summary>
/// The INSTREAM framing and verdicts. clamd itself cannot run here (its signature database is not
/// downloadable), so a listener that speaks its side of the protocol stands in for it.
/// </summary>
public sealed class ClamdScannerTests
{
    [Theory]
    [InlineData("stream: OK", ScanState.Clean)]
    [InlineData("stream: Eicar-Test-Signature FOUND", ScanState.Rejected)]
    [InlineData("INSTREAM size limit exceeded. ERROR", ScanState.Pending)]
    public void Clamds_answers_are_verdicts(string answer, ScanState expected) =>
        Assert.Equal(expected, ClamdScanner.Verdict(answer));

    [Fact]
    public async Task The_file_goes_to_clamd_in_length_prefixed_chunks_ended_by_a_zero_length_one()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = ServeOnceAsync(listener, "stream: OK\0");
        var content = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();

        var state = await Scanner(((IPEndPoint)listener.LocalEndpoint).Port, chunkSize: 4096)
            .ScanAsync(new MemoryStream(content), CancellationToken.None);

        Assert.Equal(ScanState.Clean, state);
        Assert.Equal(content, await received);
    }

    private static ClamdScanner Scanner(int port, int chunkSize) => new(
        new BlobContainerClient("UseDevelopmentStorage=true", "none"),
        Options.Create(new ClamdOptions { Host = "127.0.0.1", Port = port, ChunkSize = chunkSize }),
        NullLogger<ClamdScanner>.Instance);

    private static async Task<byte[]> ServeOnceAsync(TcpListener listener, string answer)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var command = new byte[10];
        await stream.ReadExactlyAsync(command);
        Assert.Equal("zINSTREAM\0", Encoding.ASCII.GetString(command));
        var body = new MemoryStream();
        var length = new byte[4];
        while (true)
        {
            await stream.ReadExactlyAsync(length);
            var size = BinaryPrimitives.ReadUInt32BigEndian(length);
            if (size == 0)
                break;
            Assert.True(size <= 4096);
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk);
            body.Write(chunk);
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        return body.ToArray();
    }
}
