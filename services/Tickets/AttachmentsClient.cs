using System.Net;
using Portal.Contracts;
using Portal.Tickets.Model;

namespace Portal.Tickets;

/// <summary>Asks Attachments, with Tickets' own service token, whether files may be attached to a message.</summary>
public sealed partial class AttachmentsClient(HttpClient http, ILogger<AttachmentsClient> logger)
{
    /// <summary>The files, when every one is <paramref name="ownerId"/>'s, unbound and clean; null otherwise.</summary>
    public async Task<IReadOnlyList<AttachedFile>?> ClaimableAsync(
        Guid ownerId, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        using var response = await http.PostAsJsonAsync("/internal/attachments/check", new { ownerId, ids }, ct);
        if (response.StatusCode == HttpStatusCode.BadRequest)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<AttachedFile>>(ct);
    }

    /// <summary>
    /// Binds an accepted message's files at once, with the thread's list as Tickets knows it, so that
    /// everyone who may see the thread can download them when the 201 is answered; <see cref="MessagePosted"/> is the
    /// backstop.
    /// </summary>
    public async Task BindFilesAsync(
        Guid ticketId, Guid messageId, Guid authorId, IReadOnlyList<AttachedFile> files, TicketAccessChanged? access,
        CancellationToken ct)
    {
        if (files.Count == 0)
            return;
        try
        {
            using var response = await http.PostAsJsonAsync("/internal/attachments/bind",
                new { ticketId, messageId, authorId, attachmentIds = files.Select(f => f.Id), access }, ct);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The message is accepted either way: the event binds the files a moment later.
            LogBindDeferred(ex, messageId);
        }
    }

    /// <summary>Every recorded download of the thread's files (Attachments keeps that part of the trail).</summary>
    public async Task<IReadOnlyList<TrailEntry>> DownloadsAsync(Guid ticketId, CancellationToken ct) =>
        await http.GetFromJsonAsync<List<TrailEntry>>($"/internal/tickets/{ticketId}/downloads", ct) ?? [];

    [LoggerMessage(LogLevel.Warning,
        "Files of message {MessageId} not bound at once; the MessagePosted event will bind them")]
    private partial void LogBindDeferred(Exception exception, Guid messageId);
}
