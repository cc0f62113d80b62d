using Microsoft.Playwright;
using Portal.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>Someone guessing a person's password slows down strangers' browsers, never the person's own.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Thomas = "thomas.roux@pole-sante-travail.example";

    [Fact]
    public async Task A_staff_member_whose_email_is_hammered_still_signs_in_from_their_own_browser()
    {
        // Thomas has signed in from his browser before: it keeps a device cookie.
        var before = await Portal.SignInAsync(Thomas);
        await before.Context.CloseAsync();

        using var attacker = LoopbackClient.Create(Portal.Gateway, "127.0.0.21");
        var answers = new List<System.Net.HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var guess = await attacker.PostAsync("/api/auth/token",
                System.Net.Http.Json.JsonContent.Create(new { email = Thomas, password = "mauvais-" + i }));
            answers.Add(guess.StatusCode);
        }
        Assert.Contains(System.Net.HttpStatusCode.TooManyRequests, answers);

        // A browser he never used is told, in French, to wait.
        var stranger = await Portal.NewPageAsync("inconnu");
        await stranger.GotoAsync("/connexion");
        await stranger.GetByLabel("Adresse e-mail").FillAsync(Thomas);
        await stranger.GetByLabel("Mot de passe").FillAsync(Demo.Password);
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Expect(stranger.GetByRole(AriaRole.Alert))
            .ToContainTextAsync("Trop de tentatives de connexion : réessayez dans");
        await Portal.ScreenshotAsync(stranger, "10-connexion-trop-de-tentatives");
        await stranger.Context.CloseAsync();

        // His own browser signs him in at once.
        var own = await Portal.SignInAsync(Thomas);
        await Expect(own.GetByRole(AriaRole.Heading, new() { Name = "Échanges" })).ToBeVisibleAsync();
    }
}
