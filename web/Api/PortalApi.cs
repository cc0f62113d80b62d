using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Web.Api;

/// <summary>The session's token has expired or was refused: the user signs in again.</summary>
public sealed class SessionExpiredException() : Exception("The session has expired.");

/// <summary>A sign-in's result: a token (and this browser's new device token), or a wait, or a service failure, or none of these (wrong credentials).</summary>
public sealed record SignInOutcome(string? Token, string? DeviceToken, TimeSpan? RetryAfter, string? Failure = null);

/// <summary>A refusal from the API, with its problem document's code and field errors.</summary>
public sealed class ApiProblemException(HttpStatusCode status, string? code, string detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail)
{
    public HttpStatusCode Status => status;
    public string? Code => code;
    public IReadOnlyDictionary<string, string[]> Errors => errors;
}

/// <summary>
/// Portal's public API through the gateway, the same one any other front end uses, on behalf of the
/// signed-in user (their token never leaves the server).
/// </summary>
public sealed class PortalApi(HttpClient http)
{
    /// <param name="clientAddress">The browser's address, for the sign-in budgets (the gateway believes it from this front end only).</param>
    /// <param name="deviceToken">What this browser kept from its last successful sign-in, if anything.</param>
    public async Task<SignInOutcome> SignInAsync(string email, string password, string? clientAddress, string? deviceToken, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { email, password, deviceToken }) };
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
        return new SignInOutcome(body.GetProperty("accessToken").GetString(), body.GetProperty("deviceToken").GetString(), null);
    }

    /// <summary>Ends the token everywhere (signing out).</summary>
    public Task RevokeAsync(string token, CancellationToken ct = default) => SendAsync<JsonElement?>(token, HttpMethod.Post, "/api/auth/revoke", null, ct);

    public Task DeactivateAsync(string token, Guid companyId, Guid userId) =>
        SendAsync<JsonElement?>(token, HttpMethod.Post, $"/api/companies/{companyId}/users/{userId}/deactivate", null);

    public Task ReactivateAsync(string token, Guid companyId, Guid userId) =>
        SendAsync<JsonElement?>(token, HttpMethod.Post, $"/api/companies/{companyId}/users/{userId}/reactivate", null);

    public Task<Me> MeAsync(string token, CancellationToken ct = default) => GetAsync<Me>(token, "/api/me", ct);

    public Task<List<CodeLabel>> SubjectsAsync(string token) => GetAsync<List<CodeLabel>>(token, "/api/ticket-subjects");

    public Task<List<CodeLabel>> CloseReasonsAsync(string token) => GetAsync<List<CodeLabel>>(token, "/api/close-reasons");

    public Task<List<Company>> CompaniesAsync(string token) => GetAsync<List<Company>>(token, "/api/companies");

    public Task<List<CompanyUser>> CompanyUsersAsync(string token, Guid companyId) => GetAsync<List<CompanyUser>>(token, $"/api/companies/{companyId}/users");

    public Task<TicketPage> ListAsync(string token, string? filter, string? search, string? cursor, Guid? companyId)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(filter)) query.Add("filter=" + Uri.EscapeDataString(filter));
        if (!string.IsNullOrWhiteSpace(search)) query.Add("q=" + Uri.EscapeDataString(search));
        if (!string.IsNullOrEmpty(cursor)) query.Add("cursor=" + Uri.EscapeDataString(cursor));
        if (companyId is not null) query.Add("companyId=" + companyId);
        return GetAsync<TicketPage>(token, "/api/tickets" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
    }

    public Task<UnreadCount> UnreadCountAsync(string token, CancellationToken ct = default) => GetAsync<UnreadCount>(token, "/api/tickets/unread-count", ct);

    /// <summary>The thread with its newest messages, or with those before <paramref name="before"/> (its <c>EarlierCursor</c>).</summary>
    public Task<Thread> ThreadAsync(string token, Guid id, string? before = null) =>
        GetAsync<Thread>(token, before is null ? $"/api/tickets/{id}" : $"/api/tickets/{id}?before={Uri.EscapeDataString(before)}");

    public Task<Thread> OpenAsync(string token, object request) => SendAsync<Thread>(token, HttpMethod.Post, "/api/tickets", request);

    public Task<Message> ReplyAsync(string token, Guid id, string body, IReadOnlyList<Guid> attachmentIds, bool requiresReply) =>
        SendAsync<Message>(token, HttpMethod.Post, $"/api/tickets/{id}/messages", new { body, attachmentIds, requiresReply });

    public Task MarkReadAsync(string token, Guid id) => SendAsync<JsonElement?>(token, HttpMethod.Post, $"/api/tickets/{id}/read", null);

    public Task<Thread> CloseAsync(string token, Guid id, string reason, string message) =>
        SendAsync<Thread>(token, HttpMethod.Post, $"/api/tickets/{id}/close", new { reason, message });

    public Task<Thread> ReopenAsync(string token, Guid id) => SendAsync<Thread>(token, HttpMethod.Post, $"/api/tickets/{id}/reopen", null);

    public Task<AccessList> AccessAsync(string token, Guid id) => GetAsync<AccessList>(token, $"/api/tickets/{id}/access");

    public Task<AccessList> ChangeAccessAsync(string token, Guid id, string mode, IReadOnlyList<Guid> userIds) =>
        SendAsync<AccessList>(token, HttpMethod.Put, $"/api/tickets/{id}/access", new { mode, userIds });

    public Task<ContentCheck> CheckContentAsync(string token, string text) =>
        SendAsync<ContentCheck>(token, HttpMethod.Post, "/api/content-check", new { text });

    /// <summary>Streams a file to the API as it is read, reporting the bytes sent.</summary>
    public async Task<UploadedFile> UploadAsync(string token, Stream file, string fileName, string contentType, IProgress<long> progress, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var part = new StreamContent(new ProgressStream(file, progress), 64 * 1024);
        part.Headers.ContentType = MediaTypeHeaderValue.TryParse(contentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/attachments") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<UploadedFile>(response, ct);
    }

    /// <summary>A file's bytes, for the web app to pass on to the browser.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string token, Guid id, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/attachments/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>The user's live notification stream (Server-Sent Events).</summary>
    public async Task<HttpResponseMessage> StreamAsync(string token, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new SessionExpiredException();
        return response.EnsureSuccessStatusCode();
    }

    private async Task<T> GetAsync<T>(string token, string path, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<T> SendAsync<T>(string token, HttpMethod method, string path, object? body, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
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
            throw new ApiProblemException(response.StatusCode, code, ApiError.Describe(response.StatusCode, detail, response.Headers.RetryAfter?.Delta), errors);
        }
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            return default!;
        return (await response.Content.ReadFromJsonAsync<T>(ct))!;
    }

    private sealed class ProgressStream(Stream inner, IProgress<long> progress) : Stream
    {
        private long _sent;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _sent += read;
            progress.Report(_sent);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();
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
