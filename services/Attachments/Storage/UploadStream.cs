using System.Security.Cryptography;
using System.Text;

namespace Portal.Attachments.Storage;

public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than {limit} bytes.");

public sealed class InvalidTextException() : Exception("The text file is not valid UTF-8.");

/// <summary>
/// Passes an upload through to Blob storage while counting, hashing and (for text) validating it,
/// so nothing is ever held whole: it throws as soon as the limit is passed or a byte is not UTF-8.
/// The already-read head comes first.
/// </summary>
public sealed class UploadStream(byte[] head, Stream rest, long limit, bool validateUtf8) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Decoder? _utf8 =
        validateUtf8 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder() : null;
    private readonly char[] _scratch = validateUtf8 ? new char[4096] : [];
    private int _headOffset;

    public long BytesRead { get; private set; }

    public string Sha256 => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (_headOffset < head.Length)
        {
            read = Math.Min(buffer.Length, head.Length - _headOffset);
            head.AsMemory(_headOffset, read).CopyTo(buffer);
            _headOffset += read;
        }
        else
        {
            read = await rest.ReadAsync(buffer, cancellationToken);
        }
        Observe(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Observe(ReadOnlySpan<byte> chunk)
    {
        BytesRead += chunk.Length;
        if (BytesRead > limit)
            throw new FileTooLargeException(limit);
        _sha256.AppendData(chunk);
        if (_utf8 is null)
            return;
        try
        {
            if (chunk.IndexOf((byte)0) >= 0)
                throw new InvalidTextException();
            // Convert, unlike GetCharCount, carries a sequence split between two chunks over to the next.
            var completed = false;
            while (!completed)
            {
                _utf8.Convert(chunk, _scratch, flush: chunk.IsEmpty, out var used, out _, out completed);
                chunk = chunk[used..];
            }
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidTextException();
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _sha256.Dispose();
        base.Dispose(disposing);
    }
}
