using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>
/// Ordinary text, emoji included, goes through « Contacter mon service », a staff answer and a reply.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmojiTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_thread_and_a_reply_with_emoji_are_sent_and_shown_as_written()
    {
        var member = await Portal.SignInAsync("marc.dubois@transports-dubois.example");
        await member.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        var dialog = member.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Quel est l'objet de votre demande ?")
            .SelectOptionAsync(new SelectOptionValue { Label = "Autre demande" });
        await dialog.GetByLabel("Pouvez-vous nous donner plus d'informations ?")
            .FillAsync("Merci 🙂 pour le rendez-vous 📅 de mardi !");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer ma demande" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Autre demande" })).ToBeVisibleAsync();
        await Expect(member.GetByText("Merci 🙂 pour le rendez-vous 📅 de mardi !")).ToBeVisibleAsync();
        var threadPath = new Uri(member.Url).AbsolutePath;

        var staff = await Portal.SignInAsync("thomas.roux@pole-sante-travail.example");
        await staff.GotoAsync(threadPath);
        await staff.GetByLabel("Message").FillAsync("Avec plaisir 👍 — confirmez-vous l'heure ?");
        await staff.GetByLabel("Une réponse est attendue").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Expect(staff.GetByText("Avec plaisir 👍 — confirmez-vous l'heure ?")).ToBeVisibleAsync();

        await member.ReloadAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Répondre" }).ClickAsync();
        await member.GetByLabel("Message").FillAsync("Oui, 9 h 🕘 c'est parfait 👌");
        await member.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Expect(member.GetByText("Oui, 9 h 🕘 c'est parfait 👌")).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }
}
