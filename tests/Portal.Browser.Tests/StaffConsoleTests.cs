using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>The staff console: a thread opened towards a company, seen and answered by its members.</summary>
[Collection(BrowserCollection.Name)]
public sealed class StaffConsoleTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Staff_open_a_thread_towards_a_company_asking_for_a_reply_and_filter_by_company()
    {
        var staff = await Portal.SignInAsync("thomas.roux@pole-sante-travail.example");
        await Expect(staff.GetByText("Console du service")).ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Nouvelle demande" }).ClickAsync();
        var dialog = staff.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Entreprise").SelectOptionAsync(new SelectOptionValue { Label = "Transports Dubois" });
        await dialog.GetByLabel("Quel est l'objet de votre demande ?")
            .SelectOptionAsync(new SelectOptionValue { Label = "Déclaration des effectifs" });
        await dialog.GetByLabel("Pouvez-vous nous donner plus d'informations ?")
            .FillAsync("Merci de nous transmettre la déclaration des effectifs 2027.");
        await dialog.GetByLabel("Une réponse est attendue").CheckAsync();
        await Portal.ScreenshotAsync(staff, "8-console-nouvelle-demande");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(staff));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Déclaration des effectifs" }))
            .ToBeVisibleAsync();

        await staff.GetByRole(AriaRole.Link, new() { Name = "← Tous les échanges" }).ClickAsync();
        await staff.GetByLabel("Entreprise").SelectOptionAsync(new SelectOptionValue { Label = "Transports Dubois" });
        // Exactly the title: the row's preview of the message holds these words too.
        await Expect(staff.GetByText("Déclaration des effectifs", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(staff.GetByText("Transports Dubois", new() { Exact = false }).Last).ToBeVisibleAsync();
        await staff.GetByLabel("Entreprise").SelectOptionAsync(new SelectOptionValue { Label = "Boulangerie Martin" });
        await Expect(staff.GetByText("Déclaration des effectifs", new() { Exact = true })).ToHaveCountAsync(0);

        var member = await Portal.SignInAsync("marc.dubois@transports-dubois.example");
        await member.GetByRole(AriaRole.Button, new() { Name = "Action requise" }).ClickAsync();
        await member.GetByRole(AriaRole.Link, new() { Name = "Déclaration des effectifs", Exact = false })
            .ClickAsync();
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Répondre" })).ToBeVisibleAsync();
        // Only the thread's creator closes it: Marc did not create this one.
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Fermer la demande" })).ToHaveCountAsync(0);
    }
}
