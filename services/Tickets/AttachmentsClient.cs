using System.Net;
using System.Net.Http.Headers;
using Portal.Tickets.Model;

namespace Portal.Tickets;

/// <summary>Asks Attachments, on the caller's behalf, whether files may be attached to a message.</summary>
public sealed class AttachmentsClient(HttpClient http, IHttpContextAccessor context)
{
    /// <summary>The files, when every one is the caller's, unbound and clean; null otherwise.</summary>
    public async Task<IReadOnlyList<AttachedFile>?> ClaimableAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/attachments/check") { Content = JsonContent.Create(new { ids }) };
        if (AuthenticationHeaderValue.TryParse(context.HttpContext?.Request.Headers.Authorization, out var header))
            request.Headers.Authorization = header;
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.BadRequest)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<AttachedFile>>(ct);
    }
}
