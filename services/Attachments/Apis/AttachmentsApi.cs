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

/// <summary>An uploaded file; <c>ScanState</c> "pending" means it may not be attached until the scanner has judged it.</summary>
public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size, string Sha256, string ScanState);

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
        return app;
    }

    /// <summary>
    /// Streams the one <c>file</c> part to Blob storage as it arrives: no form binding, no buffer,
    /// no temporary copy. The record is written only once the blob is, so none points to nothing.
    /// </summary>
    public static async Task<Results<Created<AttachmentView>, ProblemHttpResult>> UploadAsync(
        HttpContext context, ClaimsPrincipal user, BlobContainerClient container, AttachmentStore store, IFileScanner scanner,
        IOptions<AttachmentOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var limit = options.Value.MaxFileSize;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit + 64 * 1024;

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            return Problems.Of(StatusCodes.Status400BadRequest, "attachment.multipart_expected", "Envoyez le fichier en multipart/form-data, dans une partie nommée « file ».");

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
            return Problems.Of(StatusCodes.Status400BadRequest, "attachment.file_missing", "Aucun fichier dans la partie « file ».");

        var fileName = FileName.Clean(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);

        var head = new byte[FileKind.SniffLength];
        var headLength = await section.Body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (headLength == 0)
            return Problems.Of(StatusCodes.Status400BadRequest, "attachment.empty", "Le fichier est vide.");
        if (FileKind.Detect(head.AsSpan(0, headLength), fileName) is not { } kind)
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "attachment.type_not_allowed",
                "Type de fichier non accepté : PDF, PNG, JPEG, texte, CSV, Word, Excel, PowerPoint ou OpenDocument, dont l'extension correspond au contenu.");

        var id = Guid.CreateVersion7();
        var blob = container.GetBlobClient(id.ToString("N"));
        await using var upload = new UploadStream(head[..headLength], section.Body, limit, kind.IsText);
        try
        {
            await blob.UploadAsync(upload, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = kind.ContentType },
                TransferOptions = new() { InitialTransferSize = options.Value.BlockSize, MaximumTransferSize = options.Value.BlockSize, MaximumConcurrency = options.Value.UploadConcurrency },
            }, ct);
        }
        catch (FileTooLargeException)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "attachment.too_large", $"Le fichier dépasse la taille maximale de {limit / (1024 * 1024)} Mo.");
        }
        catch (InvalidTextException)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "attachment.type_not_allowed", "Un fichier texte doit être en UTF-8.");
        }
        catch (Exception ex) when (IsStorageFailure(ex) && !ct.IsCancellationRequested)
        {
            LogStorageFailed(loggers.CreateLogger(typeof(AttachmentsApi)), ex);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "attachment.storage_unavailable", "Le stockage des documents est momentanément indisponible. Réessayez.");
        }

        var state = await scanner.ScanAsync(id, kind, ct);
        if (state == ScanState.Rejected)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "attachment.rejected", "Le document a été refusé par l'analyse antivirus.");
        }
        var record = new AttachmentRecord(id, user.UserId(), fileName, kind.ContentType, upload.BytesRead, upload.Sha256,
            state.ToString().ToLowerInvariant(), null, DateTime.UtcNow);
        try
        {
            await store.AddAsync(record);
        }
        catch
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        return TypedResults.Created($"/api/attachments/{id}", new AttachmentView(id, fileName, kind.ContentType, record.Size, record.Sha256, record.ScanState));
    }

    /// <summary>Streamed from Blob storage, with ranges, the stored type and an ETag; 404 to anyone who may not read it.</summary>
    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid attachmentId, HttpContext context, ClaimsPrincipal user, BlobContainerClient container, AttachmentStore store, CancellationToken ct)
    {
        var record = await store.FindReadableAsync(attachmentId, user.UserId(), user.IsStaff(), user.CompanyIdOf());
        if (record is null)
            return Problems.NotFound("attachment");

        var stream = await container.GetBlobClient(attachmentId.ToString("N")).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(stream, record.ContentType, record.FileName,
            lastModified: record.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{record.Sha256}\""), enableRangeProcessing: true);
    }

    /// <summary>
    /// Tickets asks, before accepting a message, whether every named file is its author's, unbound
    /// and clean; the answer describes them, for Tickets to keep with the message.
    /// </summary>
    public static async Task<Results<Ok<IEnumerable<AttachmentSummary>>, ProblemHttpResult>> CheckAsync(
        AttachmentCheck check, AttachmentStore store)
    {
        var ids = (check.Ids ?? []).Distinct().ToList();
        var usable = await store.UsableAsync(check.OwnerId, ids);
        if (usable.Count != ids.Count)
            return Problems.Of(StatusCodes.Status400BadRequest, "attachment.not_usable", "Un document joint n'existe pas, ne vous appartient pas ou est déjà joint à un message.");
        return TypedResults.Ok(usable.Select(a => new AttachmentSummary(a.Id, a.FileName, a.ContentType, a.Size)));
    }

    public static async Task<NoContent> BindAsync(AttachmentBinding binding, AttachmentStore store, CancellationToken ct)
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
