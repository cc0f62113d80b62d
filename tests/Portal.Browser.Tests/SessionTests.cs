using Portal.Testing;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>Sign-out, a session that ends under a live page, and the dialogs from the keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Sophie = "sophie.bernard@boulangerie-martin.example";

    [Fact]
    public async Task A_session_ended_elsewhere_brings_the_page_back_to_sign_in_and_keeps_what_was_typed()
    {
        var page = await Portal.SignInAsync(Sophie);
        await page.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        // The dialog takes the focus, and Escape closes it.
        await page.WaitForFunctionAsync(
            "() => document.querySelector('.dialog')?.contains(document.activeElement) === true");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        await page.GetByLabel("Pouvez-vous nous donner plus d'informations ?")
            .FillAsync("Un brouillon à ne pas perdre");

        // Signed out in another tab: this page notices within the check interval.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync("/echanges");
        await other.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await other.WaitForURLAsync("**/connexion");
        await other.GotoAsync("/echanges");
        await other.WaitForURLAsync("**/connexion**");

        await page.WaitForURLAsync("**/connexion?expire=true**", new() { Timeout = 20_000 });
        await Expect(page.GetByText("Votre session a expiré")).ToBeVisibleAsync();
        await page.GetByLabel("Adresse e-mail").FillAsync(Sophie);
        await page.GetByLabel("Mot de passe").FillAsync(Demo.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await page.WaitForURLAsync("**/echanges");
        await page.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        await Expect(page.GetByLabel("Pouvez-vous nous donner plus d'informations ?"))
            .ToHaveValueAsync("Un brouillon à ne pas perdre");
    }
}
