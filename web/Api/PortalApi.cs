using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Web.Api;

/// <summary>The session's token has expired or was refused: the user signs in again.</summary>
public sealed class SessionExpiredException() : Exception("The session has expired.");

/// <summary>
/// A sign-in's result: a token (and this browser's new device token), or a wait, or a service failure, or none of
/// these (wrong credentials).
/// </summary>
public sealed record SignInOutcome(string? Token, string? DeviceToken, TimeSpan? RetryAfter, string? Failure = null);

/// <summary>A refusal from the API, with its problem document's code and field errors.</summary>
public sealed class ApiProblemException(
    HttpStatusCode status,
    string? code,
    string detail,
    IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail)
{
    public HttpStatusCode Status => status;
    public string? Code => code;
    public IReadOnlyDictionary<string, string[]> Errors => errors;
}

/// <summary>
/// Portal's public API through the gateway, the same one any other front end uses, on behalf of the
/// signed-in user of this session (their token never leaves the server). The few calls made
/// outside a live page (signing in and out, a download) are given the token they act with.
/// </summary>
public sealed class PortalApi(HttpClient http, UserSession session)
{
    /// <param name="clientAddress">The browser's address, for the sign-in budgets (the gateway believes it from this
    /// front end only).</param>
    /// <param name="deviceToken">What this browser kept from its last successful sign-in, if anything.</param>
    public async Task<SignInOutcome> SignInAsync(
        string email, string password, string? clientAddress, string? deviceToken, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = JsonContent.Create(new { email, password, deviceToken })
        };
        if (clientAddress is not null)
            request.Headers.Add("X-Forwarded-For", clientAddress);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new SignInOutcome(null, null, null, ApiError.Unreachable);
        }
        using var _ = response;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return new SignInOutcome(null, null, response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMinutes(1));
        if ((int)response.StatusCode >= 500)
            return new SignInOutcome(null, null, null, ApiError.Describe(response.StatusCode, null, null));
        if (!response.IsSuccessStatusCode)
            return new SignInOutcome(null, null, null);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return new SignInOutcome(
            body.GetProperty("accessToken").GetString(), body.GetProperty("deviceToken").GetString(), null);
    }

    /// <summary>Ends the token everywhere (signing out).</summary>
    public Task RevokeAsync(string token, CancellationToken ct = default) =>
        SendAsync<JsonElement?>(HttpMethod.Post, "/api/auth/revoke", null, ct, token);

    public Task DeactivateAsync(Guid companyId, Guid userId) =>
        SendAsync<JsonElement?>(HttpMethod.Post, $"/api/companies/{companyId}/users/{userId}/deactivate", null);

    public Task ReactivateAsync(Guid companyId, Guid userId) =>
        SendAsync<JsonElement?>(HttpMethod.Post, $"/api/companies/{companyId}/users/{userId}/reactivate", null);

    public Task<Me> MeAsync(string token, CancellationToken ct = default) => GetAsync<Me>("/api/me", ct, token);

    public Task<List<CodeLabel>> SubjectsAsync() => GetAsync<List<CodeLabel>>("/api/ticket-subjects");

    public Task<List<CodeLabel>> CloseReasonsAsync() => GetAsync<List<CodeLabel>>("/api/close-reasons");

    public Task<List<Company>> CompaniesAsync() => GetAsync<List<Company>>("/api/companies");

    public Task<List<CompanyUser>> CompanyUsersAsync(Guid companyId) =>
        GetAsync<List<CompanyUser>>($"/api/companies/{companyId}/users");

    public Task<TicketPage> ListAsync(
        string? filter, string? search, string? cursor, Guid? companyId, StaffListFilter? staff = null)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(filter)) query.Add("filter=" + Uri.EscapeDataString(filter));
        if (!string.IsNullOrWhiteSpace(search)) query.Add("q=" + Uri.EscapeDataString(search));
        if (!string.IsNullOrEmpty(cursor)) query.Add("cursor=" + Uri.EscapeDataString(cursor));
        if (companyId is not null) query.Add("companyId=" + companyId);
        if (staff?.Assignee is { } assignee) query.Add("assignee=" + Uri.EscapeDataString(assignee));
        if (staff?.Team is { } team) query.Add("team=" + Uri.EscapeDataString(team));
        if (staff?.Overdue == true) query.Add("overdue=true");
        return GetAsync<TicketPage>("/api/tickets" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
    }

    public Task<List<Team>> TeamsAsync() => GetAsync<List<Team>>("/api/teams");

    public Task<List<StaffMember>> StaffAsync() => GetAsync<List<StaffMember>>("/api/staff");

    public Task<ThreadDetail> AssignAsync(Guid id, string team, Guid? assigneeId) =>
        SendAsync<ThreadDetail>(HttpMethod.Put, $"/api/tickets/{id}/assignment", new { team, assigneeId });

    public Task<List<ReplyTemplate>> TemplatesAsync() => GetAsync<List<ReplyTemplate>>("/api/reply-templates");

    public Task<ReplyTemplate> CreateTemplateAsync(string team, string title, string body) =>
        SendAsync<ReplyTemplate>(HttpMethod.Post, "/api/reply-templates", new { team, title, body });

    public Task<ReplyTemplate> UpdateTemplateAsync(Guid id, string team, string title, string body) =>
        SendAsync<ReplyTemplate>(HttpMethod.Put, $"/api/reply-templates/{id}", new { team, title, body });

    public Task DeleteTemplateAsync(Guid id) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"/api/reply-templates/{id}", null);

    public Task<RenderedTemplate> RenderTemplateAsync(Guid id, Guid ticketId) =>
        GetAsync<RenderedTemplate>($"/api/reply-templates/{id}/render?ticketId={ticketId}");

    public Task<List<TrailEntry>> ReadsAsync(Guid id) => GetAsync<List<TrailEntry>>($"/api/tickets/{id}/reads");

    /// <summary>The read trail as CSV, for the web app to pass on to the browser.</summary>
    public async Task<HttpResponseMessage> ReadsCsvAsync(string token, Guid id, CancellationToken ct)
    {
        var request = await AuthorizedAsync(
            new HttpRequestMessage(HttpMethod.Get, $"/api/tickets/{id}/reads?format=csv"), token);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    public Task<ServiceStats> StatsAsync(int days) => GetAsync<ServiceStats>($"/api/service-stats?days={days}");

    public Task<UnreadCount> UnreadCountAsync(CancellationToken ct = default) =>
        GetAsync<UnreadCount>("/api/tickets/unread-count", ct);

    /// <summary>
    /// The thread with its newest messages, or with those before <paramref name="before"/> (its
    /// <c>EarlierCursor</c>).
    /// </summary>
    public Task<ThreadDetail> ThreadAsync(Guid id, string? before = null) =>
        GetAsync<ThreadDetail>(before is null
            ? $"/api/tickets/{id}"
            : $"/api/tickets/{id}?before={Uri.EscapeDataString(before)}");

    public Task<ThreadDetail> OpenAsync(object request) =>
        SendAsync<ThreadDetail>(HttpMethod.Post, "/api/tickets", request);

    public Task<Message> ReplyAsync(Guid id, string body, IReadOnlyList<Guid> attachmentIds, bool requiresReply) =>
        SendAsync<Message>(HttpMethod.Post, $"/api/tickets/{id}/messages", new { body, attachmentIds, requiresReply });

    public Task<Note> AddNoteAsync(Guid id, string body) =>
        SendAsync<Note>(HttpMethod.Post, $"/api/tickets/{id}/notes", new { body });

    public Task MarkReadAsync(Guid id) => SendAsync<JsonElement?>(HttpMethod.Post, $"/api/tickets/{id}/read", null);

    public Task<ThreadDetail> CloseAsync(Guid id, string reason, string message) =>
        SendAsync<ThreadDetail>(HttpMethod.Post, $"/api/tickets/{id}/close", new { reason, message });

    public Task<ThreadDetail> ReopenAsync(Guid id) =>
        SendAsync<ThreadDetail>(HttpMethod.Post, $"/api/tickets/{id}/reopen", null);

    public Task<AccessList> AccessAsync(Guid id) => GetAsync<AccessList>($"/api/tickets/{id}/access");

    public Task<AccessList> ChangeAccessAsync(Guid id, string mode, IReadOnlyList<Guid> userIds) =>
        SendAsync<AccessList>(HttpMethod.Put, $"/api/tickets/{id}/access", new { mode, userIds });

    public Task<ContentCheck> CheckContentAsync(string text) =>
        SendAsync<ContentCheck>(HttpMethod.Post, "/api/content-check", new { text });

    /// <summary>Streams a file to the API as it is read, reporting the bytes sent.</summary>
    public async Task<UploadedFile> UploadAsync(
        Stream file, string fileName, string contentType, IProgress<long> progress, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var part = new StreamContent(new ProgressStream(file, progress), 64 * 1024);
        part.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type)
            ? type
            : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", fileName);
        using var request = await AuthorizedAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/attachments") { Content = form });
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<UploadedFile>(response, ct);
    }

    /// <summary>A file's bytes, for the web app to pass on to the browser.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string token, Guid id, CancellationToken ct)
    {
        var request = await AuthorizedAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/attachments/{id}"), token);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>The user's live notification stream (Server-Sent Events).</summary>
    public async Task<HttpResponseMessage> StreamAsync(CancellationToken ct)
    {
        var request = await AuthorizedAsync(new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream"));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new SessionExpiredException();
        return response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The request, with the session's token (or <paramref name="token"/>); none left: the session has ended.
    /// </summary>
    private async Task<HttpRequestMessage> AuthorizedAsync(HttpRequestMessage request, string? token = null)
    {
        token ??= (await session.CurrentAsync())?.Token ?? throw new SessionExpiredException();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken ct = default, string? token = null)
    {
        using var request = await AuthorizedAsync(new HttpRequestMessage(HttpMethod.Get, path), token);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, object? body, CancellationToken ct = default, string? token = null)
    {
        using var request = await AuthorizedAsync(
            new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) }, token);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new SessionExpiredException();
        if (!response.IsSuccessStatusCode)
        {
            string? code = null;
            string? detail = null;
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
                if (problem.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
                    foreach (var field in fields.EnumerateObject())
                        errors[field.Name] = field.Value.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                // Not a problem document (a proxy's page, an empty body): the status says enough.
            }
            throw new ApiProblemException(response.StatusCode, code,
                ApiError.Describe(response.StatusCode, detail, response.Headers.RetryAfter?.Delta), errors);
        }
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            return default!;
        return (await response.Content.ReadFromJsonAsync<T>(ct))!;
    }

    private sealed class ProgressStream(Stream inner, IProgress<long> progress) : Stream
    {
        private long _sent;

        public override async ValueTask<int> ReadAsync(
            Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _sent += read;
            progress.Report(_sent);
            return read;
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
        public override long Position { get => _sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
