using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Text no person can have typed (a lone surrogate, bytes that are not UTF-8, NUL) reaches every path
/// as a client can really send it, on the wire: a 400 problem+json, and nothing changes.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class IllFormedTextTests(PortalApp portal)
{
    // Each as it travels in a JSON body: the escape of a lone surrogate, the escape of NUL, raw bytes
    // that are not UTF-8 (a lone continuation byte, 0xFF, an encoded surrogate, an overlong « / »).
    public static TheoryData<string, byte[]> JsonStrings => new()
    {
        { "lone high surrogate", "\"Merci \\ud83d\""u8.ToArray() },
        { "lone low surrogate", "\"\\ude42 Merci\""u8.ToArray() },
        { "NUL", "\"Mer\\u0000ci\""u8.ToArray() },
        { "continuation byte", [(byte)'"', (byte)'M', 0x80, (byte)'"'] },
        { "0xFF", [(byte)'"', 0xFF, (byte)'"'] },
        { "encoded surrogate", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'] },
        { "overlong", [(byte)'"', 0xC0, 0xAF, (byte)'"'] },
        { "truncated sequence", [(byte)'"', 0xF0, 0x9F, 0x99, (byte)'"'] },
    };

    [Theory]
    [MemberData(nameof(JsonStrings))]
    public async Task A_message_body_that_is_not_well_formed_is_a_400_problem_and_posts_nothing(
        string kind, byte[] text)
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var ticketId = await Api.OpenThreadAsync(camille, $"Fil pour le texte mal formé ({kind})");

        var response = await PostJsonAsync(camille, $"/api/tickets/{ticketId}/messages",
            Json("{\"body\":", text, ",\"attachmentIds\":[]}"));

        await AssertRefusedAsync(response, kind);
        var thread = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal(1, thread.GetProperty("messages").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(JsonStrings))]
    public async Task A_new_thread_the_content_check_and_a_close_message_that_are_not_well_formed_are_refused(
        string kind, byte[] text)
    {
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        var ticketId = await Api.OpenThreadAsync(sophie, $"Fil à fermer ({kind})");

        await AssertRefusedAsync(await PostJsonAsync(sophie, "/api/tickets", Json(
            "{\"subjectCode\":\"autre\",\"body\":", text,
            ",\"attachmentIds\":[],\"visibility\":{\"mode\":\"company\",\"userIds\":[]}}")), kind);
        await AssertRefusedAsync(
            await PostJsonAsync(sophie, "/api/content-check", Json("{\"text\":", text, "}")), kind);
        await AssertRefusedAsync(await PostJsonAsync(sophie, $"/api/tickets/{ticketId}/close", Json(
            "{\"reason\":\"resolved\",\"message\":", text, "}")), kind);

        var newest = (await sophie.GetFromJsonAsync<JsonElement>("/api/tickets?limit=1")).GetProperty("items")[0];
        Assert.Equal(ticketId, newest.GetProperty("id").GetGuid());
        var thread = await sophie.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.Equal("open", thread.GetProperty("status").GetString());
    }

    // In a query string, percent-encoded: %ED%A0%80 is a surrogate in UTF-8, %FF and %C0%AF no UTF-8 at all.
    [Theory]
    [InlineData("%ED%A0%80")]
    [InlineData("Merci%FF")]
    [InlineData("%C0%AF")]
    [InlineData("Mer%00ci")]
    public async Task A_search_that_is_not_well_formed_is_a_400_problem(string query)
    {
        using var julien = await portal.GatewayAsAsync(Demo.Julien);

        await AssertRefusedAsync(await julien.GetAsync("/api/tickets?q=" + query), query);
    }

    [Theory]
    [InlineData("%ED%A0%80.pdf")]
    [InlineData("Attestation%FF.pdf")]
    [InlineData("Mer%00ci.pdf")]
    public async Task A_file_name_that_is_not_well_formed_is_refused_or_kept_well_formed(string encodedName)
    {
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var response = await Api.UploadNamedAsync(marc, "%PDF-1.4 essai"u8.ToArray(), "application/pdf", encodedName);

        Assert.True((int)response.StatusCode < 500, $"{encodedName}: {(int)response.StatusCode}");
        if (response.IsSuccessStatusCode)
        {
            var name = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fileName").GetString()!;
            Assert.True(UserText.IsAcceptable(name), $"{encodedName} stored as {JsonSerializer.Serialize(name)}");
        }
        else
        {
            await AssertRefusedAsync(response, encodedName);
        }
    }

    private static byte[] Json(string before, byte[] text, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. text, .. Encoding.UTF8.GetBytes(after)];

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return client.PostAsync(path, content);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string kind)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.True(problem.TryGetProperty("code", out _), $"{kind}: a problem without code: {body}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()),
            $"{kind}: a problem without detail: {body}");
    }
}
