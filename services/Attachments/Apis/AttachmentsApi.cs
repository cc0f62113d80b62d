using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Attachments.Data;
using Portal.Attachments.Model;
using Portal.Attachments.Storage;

namespace Portal.Attachments.Apis;

/// <summary>
/// An uploaded file; <c>ScanState</c> "pending" means it may not be attached until the scanner has judged it.
/// </summary>
public sealed record AttachmentView(
    Guid Id,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string ScanState);

public sealed record AttachmentCheck(Guid OwnerId, IReadOnlyList<Guid> Ids);

public sealed record AttachmentSummary(Guid Id, string FileName, string ContentType, long Size);

public static partial class AttachmentsApi
{
    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/attachments");
        api.MapPost("/", UploadAsync).DisableAntiforgery();
        api.MapGet("/{attachmentId:guid}", DownloadAsync);

        // Service to service only (the gateway routes nothing under /internal), on Tickets' own token.
        app.MapPost("/internal/attachments/check", CheckAsync).RequireService("tickets");
        app.MapPost("/internal/attachments/bind", BindAsync).RequireService("tickets");
        app.MapGet("/internal/tickets/{ticketId:guid}/downloads", DownloadsAsync).RequireService("tickets");
        return app;
    }

    /// <summary>
    /// Streams the one <c>file</c> part to Blob storage as it arrives: no form binding, no buffer,
    /// no temporary copy. The record is written only once the blob is, so none points to nothing.
    /// </summary>
    /// <remarks>
    /// Each upload first reserves its place in the uploader's daily quota (<see cref="UploadQuota"/>):
    /// 429 once the day's files are used up, 413 once its bytes are (or when this file would pass them).
    /// </remarks>
    public static async Task<Results<Created<AttachmentView>, ProblemHttpResult>> UploadAsync(
        HttpContext context, ClaimsPrincipal user, BlobContainerClient container, AttachmentStore store,
        UploadQuota quota, IFileScanner scanner, IOptions<AttachmentOptions> options, ILoggerFactory loggers,
        CancellationToken ct)
    {
        var limits = options.Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limits.MaxFileSize + 64 * 1024;

        var reservation = await quota.ReserveAsync(
            user.UserId(), limits.DailyUploadFiles, limits.DailyUploadBytes, limits.MaxFileSize, ct);
        if (reservation.FilesExhausted)
        {
            context.Response.Headers.RetryAfter = UntilTomorrow().ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "attachment.daily_files_exceeded",
                $"Vous avez déjà envoyé {limits.DailyUploadFiles} documents aujourd'hui : réessayez demain.");
        }
        if (reservation.BytesExhausted)
            return DailyBytesExceeded(limits);

        long kept = 0;
        try
        {
            var (result, size) = await StoreAsync(
                context, user, container, store, scanner, limits, reservation.Bytes, loggers, ct);
            kept = size;
            return result;
        }
        finally
        {
            // Given back even when the upload was cut short: the quota must not keep what was not stored.
            await quota.GiveBackAsync(user.UserId(), reservation, kept, CancellationToken.None);
        }
    }

    private static ProblemHttpResult DailyBytesExceeded(AttachmentOptions limits) =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "attachment.daily_bytes_exceeded",
            $"Ce document dépasse ce qu'il vous reste à envoyer aujourd'hui "
                + $"(au plus {limits.DailyUploadBytes / (1024 * 1024)} Mo par jour) : réessayez demain.");

    // Quotas count Paris days.
    private static int UntilTomorrow()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, paris);
        var midnight = new DateTimeOffset(now.Date.AddDays(1), paris.GetUtcOffset(now.Date.AddDays(1)));
        return Math.Max(1, (int)Math.Ceiling((midnight - now).TotalSeconds));
    }

    /// <summary>
    /// The upload itself, allowed <paramref name="allowed"/> bytes; with the size kept, 0 when nothing was.
    /// </summary>
    private static async Task<(Results<Created<AttachmentView>, ProblemHttpResult> Result, long Kept)> StoreAsync(
        HttpContext context, ClaimsPrincipal user, BlobContainerClient container, AttachmentStore store,
        IFileScanner scanner, AttachmentOptions limits, long allowed, ILoggerFactory loggers, CancellationToken ct)
    {
        var limit = limits.MaxFileSize;

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            return (Problems.Of(StatusCodes.Status400BadRequest, "attachment.multipart_expected",
                "Envoyez le fichier en multipart/form-data, dans une partie nommée « file »."), 0);

        var reader = new MultipartReader(boundary, context.Request.Body);
        MultipartSection? section;
        ContentDispositionHeaderValue? disposition = null;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out disposition)
                && disposition.IsFileDisposition() && disposition.Name.Value?.Trim('"') == "file")
                break;
        }
        if (section is null || disposition is null)
            return (Problems.Of(StatusCodes.Status400BadRequest, "attachment.file_missing",
                "Aucun fichier dans la partie « file »."), 0);

        var fileName = FileName.Clean(HeaderUtilities.RemoveQuotes(
            disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);

        var head = new byte[FileKind.SniffLength];
        var headLength = await section.Body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (headLength == 0)
            return (Problems.Of(StatusCodes.Status400BadRequest, "attachment.empty", "Le fichier est vide."), 0);
        if (FileKind.Detect(head.AsSpan(0, headLength), fileName) is not { } kind)
            return (Problems.Of(StatusCodes.Status415UnsupportedMediaType, "attachment.type_not_allowed",
                "Type de fichier non accepté : PDF, PNG, JPEG, texte, CSV, Word, Excel, PowerPoint ou OpenDocument, "
                    + "dont l'extension correspond au contenu."), 0);

        var id = Guid.CreateVersion7();
        var blob = container.GetBlobClient(id.ToString("N"));
        await using var upload = new UploadStream(head[..headLength], section.Body, allowed, kind.IsText);
        try
        {
            await blob.UploadAsync(upload, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = kind.ContentType },
                TransferOptions = new()
                {
                    InitialTransferSize = limits.BlockSize,
                    MaximumTransferSize = limits.BlockSize,
                    MaximumConcurrency = limits.UploadConcurrency
                },
            }, ct);
        }
        catch (FileTooLargeException)
        {
            return (allowed < limit ? DailyBytesExceeded(limits)
                : Problems.Of(StatusCodes.Status413PayloadTooLarge, "attachment.too_large",
                    $"Le fichier dépasse la taille maximale de {limit / (1024 * 1024)} Mo."), 0);
        }
        catch (InvalidTextException)
        {
            return (Problems.Of(StatusCodes.Status415UnsupportedMediaType, "attachment.type_not_allowed",
                "Un fichier texte doit être en UTF-8."), 0);
        }
        catch (Exception ex) when (IsStorageFailure(ex) && !ct.IsCancellationRequested)
        {
            LogStorageFailed(loggers.CreateLogger(typeof(AttachmentsApi)), ex);
            return (Problems.Of(StatusCodes.Status503ServiceUnavailable, "attachment.storage_unavailable",
                "Le stockage des documents est momentanément indisponible. Réessayez."), 0);
        }

        var state = await scanner.ScanAsync(id, kind, ct);
        if (state == ScanState.Rejected)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            return (Problems.Of(StatusCodes.Status422UnprocessableEntity, "attachment.rejected",
                "Le document a été refusé par l'analyse antivirus."), 0);
        }
        var record = new AttachmentRecord(id, user.UserId(), fileName, kind.ContentType, upload.BytesRead,
            upload.Sha256, state.ToString().ToLowerInvariant(), null, DateTime.UtcNow);
        try
        {
            await store.AddAsync(record, ct);
        }
        catch
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        Telemetry.Uploads.Record(record.Size);
        return (TypedResults.Created($"/api/attachments/{id}",
                new AttachmentView(id, fileName, kind.ContentType, record.Size, record.Sha256, record.ScanState)),
            record.Size);
    }

    /// <summary>
    /// Streamed from Blob storage, with ranges, the stored type and an ETag; 404 to anyone who may not read it.
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid attachmentId, HttpContext context, ClaimsPrincipal user, BlobContainerClient container,
        AttachmentStore store, DownloadTrail trail, CancellationToken ct)
    {
        var record = await store.FindReadableAsync(attachmentId, user.UserId(), user.IsStaff(), user.CompanyIdOf(), ct);
        if (record is null)
            return Problems.NotFound("attachment");
        // A file of a thread goes into its read trail once per download, not once per range a client resumes with.
        if (record.TicketId is { } ticketId && IsDownloadStart(context.Request.Headers.Range))
            await trail.RecordAsync(attachmentId, ticketId, PortalUser.From(user), ct);

        var stream = await container.GetBlobClient(attachmentId.ToString("N"))
            .OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(stream, record.ContentType, record.FileName,
            lastModified: record.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{record.Sha256}\""),
            enableRangeProcessing: true);
    }

    private static bool IsDownloadStart(string? range) =>
        string.IsNullOrEmpty(range) || range.Replace(" ", "").StartsWith("bytes=0-", StringComparison.Ordinal);

    /// <summary>The downloads of a thread's files, for Tickets to show in the thread's read trail.</summary>
    public static async Task<Ok<IReadOnlyList<DownloadEntry>>> DownloadsAsync(
        Guid ticketId, DownloadTrail trail, CancellationToken ct) =>
        TypedResults.Ok(await trail.ForTicketAsync(ticketId, ct));

    /// <summary>
    /// Tickets asks, before accepting a message, whether every named file is its author's, unbound
    /// and clean; the answer describes them, for Tickets to keep with the message.
    /// </summary>
    public static async Task<Results<Ok<IEnumerable<AttachmentSummary>>, ProblemHttpResult>> CheckAsync(
        AttachmentCheck check, AttachmentStore store, CancellationToken ct)
    {
        var ids = (check.Ids ?? []).Distinct().ToList();
        var usable = await store.UsableAsync(check.OwnerId, ids, ct);
        if (usable.Count != ids.Count)
            return Problems.Of(StatusCodes.Status400BadRequest, "attachment.not_usable",
                "Un document joint n'existe pas, ne vous appartient pas ou est déjà joint à un message.");
        return TypedResults.Ok(usable.Select(a => new AttachmentSummary(a.Id, a.FileName, a.ContentType, a.Size)));
    }

    public static async Task<NoContent> BindAsync(
        AttachmentBinding binding, AttachmentStore store, CancellationToken ct)
    {
        await store.BindFilesAsync(binding, ct);
        return TypedResults.NoContent();
    }

    // The SDK's retry policy reports exhausted retries as an AggregateException of the attempts' failures.
    private static bool IsStorageFailure(Exception ex) => ex switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFailure),
        RequestFailedException or HttpRequestException or IOException => true,
        _ => false,
    };

    [LoggerMessage(LogLevel.Warning, "Blob storage failed during an upload")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception);
}
