using System.Net.Http.Headers;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>The calls many tests make, as a front end makes them.</summary>
public static class Api
{
    /// <summary>Opens a thread as the client's user; staff name the company (<paramref name="companyId"/>).</summary>
    public static async Task<Guid> OpenThreadAsync(
        HttpClient client, string body, string mode = "company", Guid[]? userIds = null, string subject = "autre",
        Guid[]? attachmentIds = null, Guid? companyId = null)
    {
        var request = new JsonObject
        {
            ["subjectCode"] = subject,
            ["body"] = body,
            ["attachmentIds"] = JsonSerializer.SerializeToNode(attachmentIds ?? []),
            ["visibility"] = new JsonObject
            {
                ["mode"] = mode, ["userIds"] = JsonSerializer.SerializeToNode(userIds ?? [])
            },
        };
        if (companyId is not null)
            request["companyId"] = companyId;
        var created = await client.PostAsJsonAsync("/api/tickets", request);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/tickets/{id}", created.Headers.Location?.ToString());
        return id;
    }

    public static async Task<Guid> UserIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetGuid();

    public static async Task<Guid> CompanyIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("companyId").GetGuid();

    /// <summary>
    /// Polls until <paramref name="path"/> answers <paramref name="expected"/>: for what events change, a moment later.
    /// </summary>
    public static Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected) =>
        Eventually.TrueAsync(async () => (await client.GetAsync(path)).StatusCode == expected,
            within: TimeSpan.FromSeconds(10));

    /// <summary>Uploads one file as a browser would (multipart, a part named « file »).</summary>
    public static async Task<HttpResponseMessage> UploadAsync(
        HttpClient client, byte[] bytes, string fileName, bool expectContinue = false)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/attachments") { Content = form };
        request.Headers.ExpectContinue = expectContinue;
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Uploads a file whose name is written by hand, already percent-encoded (RFC 6266's
    /// <c>filename*</c>): any name a client can send, whatever .NET would accept in a header.
    /// </summary>
    public static async Task<HttpResponseMessage> UploadNamedAsync(
        HttpClient client, byte[] bytes, string contentType, string encodedFileName)
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Headers.TryAddWithoutValidation(
            "Content-Disposition", $"form-data; name=\"file\"; filename*=UTF-8''{encodedFileName}");
        form.Add(content);
        return await client.PostAsync("/api/attachments", form);
    }
}
