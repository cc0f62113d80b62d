using Portal.Testing;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>A long thread opens on its newest messages; earlier ones come when asked for.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LongThreadTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Julien = "julien.martin@boulangerie-martin.example";

    [Fact]
    public async Task A_long_thread_shows_its_newest_messages_and_loads_earlier_ones_on_demand()
    {
        using var member = await ApiAsAsync(Julien);
        using var staff = await ApiAsAsync("nadia.benali@pole-sante-travail.example");
        var opened = await member.PostAsJsonAsync("/api/tickets", new
        {
            subjectCode = "autre", body = "Première question", attachmentIds = Array.Empty<Guid>(),
            visibility = new { mode = "company", userIds = Array.Empty<Guid>() },
        });
        var ticketId = (await opened.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("id").GetGuid();
        for (var i = 1; i <= 59; i++)
            (await staff.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
                new { body = $"Réponse n° {i}", attachmentIds = Array.Empty<Guid>() })).EnsureSuccessStatusCode();

        var page = await Portal.SignInAsync(Julien);
        await page.GotoAsync($"/echanges/{ticketId}");
        await Expect(page.GetByText("Réponse n° 59", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("ol.messages > li")).ToHaveCountAsync(50);
        await Expect(page.GetByText("Première question")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher les messages précédents" }).ClickAsync();
        await Expect(page.Locator("ol.messages > li")).ToHaveCountAsync(60);
        await Expect(page.GetByText("Première question")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Afficher les messages précédents" }))
            .ToHaveCountAsync(0);
        Assert.Empty(await Portal.AccessibilityViolationsAsync(page));
    }

    private async Task<HttpClient> ApiAsAsync(string email)
    {
        var http = new HttpClient { BaseAddress = Portal.Gateway };
        var signIn = await http.PostAsJsonAsync("/api/auth/token", new { email, password = Demo.Password });
        var token = (await signIn.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
