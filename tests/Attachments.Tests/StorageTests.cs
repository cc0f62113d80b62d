using System.Security.Claims;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Attachments.Apis;
using Portal.Attachments.Data;
using Portal.Attachments.Model;
using Portal.Attachments.Storage;
using Xunit;

namespace Portal.Attachments.Tests;

/// <summary>
/// The upload handler and the sweeper against real PostgreSQL and Azurite, including Azurite going away.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class StorageTests(StorageFixture storage)
{
    private readonly AttachmentStore _store = new(storage.DataSource);
    private readonly IOptions<AttachmentOptions> _options = Options.Create(new AttachmentOptions());
    private readonly Guid _owner = Guid.NewGuid();

    [Fact]
    public async Task Files_no_message_named_in_time_are_swept_blob_and_record_while_bound_ones_stay()
    {
        var orphan = await UploadAsync(Pdf(64 * 1024));
        var bound = await UploadAsync(Pdf(64 * 1024));
        var recent = await UploadAsync(Pdf(1024));
        await using (var connection = await storage.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "update attachments set created_at = now() - interval '25 hours' where id = any(@ids)",
                new { ids = new[] { orphan, bound } });
            await using var transaction = await connection.BeginTransactionAsync();
            await AttachmentStore.BindToMessageAsync(
                transaction, Guid.NewGuid(), Guid.NewGuid(), _owner, [bound], CancellationToken.None);
            await transaction.CommitAsync();
        }

        var sweeper = new OrphanSweeper(_store, storage.Container, _options, NullLogger<OrphanSweeper>.Instance);
        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));

        Assert.False(await RecordExistsAsync(orphan));
        Assert.False(await storage.Container.GetBlobClient(orphan.ToString("N")).ExistsAsync());
        foreach (var kept in new[] { bound, recent })
        {
            Assert.True(await RecordExistsAsync(kept));
            Assert.True(await storage.Container.GetBlobClient(kept.ToString("N")).ExistsAsync());
        }
    }

    [Fact]
    public async Task Blob_storage_failing_mid_upload_gives_503_and_leaves_no_record()
    {
        var stopped = false;
        var body = new MultipartBody(Pdf(8 * 1024 * 1024), afterBytes: 3 * 1024 * 1024, async () =>
        {
            await storage.Azurite.CrashAsync();
            stopped = true;
        });
        try
        {
            var result = await UploadAsync(body);
            Assert.True(stopped);
            var problem = Assert.IsType<ProblemHttpResult>(result);
            Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.StatusCode);
            Assert.Equal("attachment.storage_unavailable", problem.ProblemDetails.Extensions["code"]);
            await using var connection = await storage.DataSource.OpenConnectionAsync();
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "select count(*) from attachments where owner_id = @_owner", new { _owner }));
        }
        finally
        {
            // A crashed Azurite may lose its latest metadata, the container with it.
            await storage.Azurite.StartAgainAsync();
            await storage.Container.CreateIfNotExistsAsync();
        }
    }

    private async Task<Guid> UploadAsync(byte[] pdf)
    {
        var result = await UploadAsync(new MultipartBody(pdf, afterBytes: long.MaxValue, () => Task.CompletedTask));
        return Assert.IsType<Created<AttachmentView>>(result).Value!.Id;
    }

    private async Task<IResult> UploadAsync(MultipartBody body)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = $"multipart/form-data; boundary={MultipartBody.Boundary}";
        context.Request.Body = body;
        var user = new ClaimsPrincipal(
            new ClaimsIdentity([new Claim("sub", _owner.ToString()), new Claim("role", "member")], "test"));
        var answer = await AttachmentsApi.UploadAsync(context, user, storage.Container, _store,
            new UploadQuota(storage.DataSource), new ContentCheckScanner(), _options,
            NullLoggerFactory.Instance, CancellationToken.None);
        return answer.Result;
    }

    private async Task<bool> RecordExistsAsync(Guid id)
    {
        await using var connection = await storage.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "select exists (select 1 from attachments where id = @id)", new { id });
    }

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// A one-file multipart body that runs <paramref name="onPassing"/> once, when that many bytes have been read.
    /// </summary>
    private sealed class MultipartBody(byte[] file, long afterBytes, Func<Task> onPassing) : Stream
    {
        public const string Boundary = "portal-test-boundary";
        private readonly byte[] _content = [.. Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.pdf\"\r\n"
                + $"Content-Type: application/pdf\r\n\r\n"),
            .. file, .. Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n")];
        private int _position;
        private bool _passed;

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_passed && _position >= afterBytes)
            {
                _passed = true;
                await onPassing();
            }
            var count = Math.Min(Math.Min(buffer.Length, 64 * 1024), _content.Length - _position);
            _content.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(
            byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
