using System.Net;
using Portal.Tickets.Model;

namespace Portal.Tickets;

/// <summary>Asks Attachments, with Tickets' own service token, whether files may be attached to a message.</summary>
public sealed class AttachmentsClient(HttpClient http)
{
    /// <summary>The files, when every one is <paramref name="ownerId"/>'s, unbound and clean; null otherwise.</summary>
    public async Task<IReadOnlyList<AttachedFile>?> ClaimableAsync(Guid ownerId, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        using var response = await http.PostAsJsonAsync("/internal/attachments/check", new { ownerId, ids }, ct);
        if (response.StatusCode == HttpStatusCode.BadRequest)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<AttachedFile>>(ct);
    }
}
