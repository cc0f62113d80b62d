using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>The seed's journey in Chromium, through the gateway, a member and a staff user side by side.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ThreadJourneyTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Camille = "camille.lefebvre@boulangerie-martin.example";
    private const string Nadia = "nadia.benali@pole-sante-travail.example";

    [Fact]
    public async Task A_member_and_the_service_carry_a_thread_from_opening_to_its_closure()
    {
        var member = await Portal.SignInAsync(Camille);
        await Portal.ScreenshotAsync(member, "1-echanges-membre");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(member));

        // « Contacter mon service »: a document, two chosen colleagues.
        await member.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        var dialog = member.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText(
                "Assurez-vous de ne pas partager d'informations confidentielles, personnelles ou médicales."))
            .ToBeVisibleAsync();
        await dialog.GetByLabel("Quel est l'objet de votre demande ?")
            .SelectOptionAsync(new SelectOptionValue { Label = "Facturation" });
        await dialog.GetByLabel("Uniquement certains utilisateurs").CheckAsync();
        await Expect(dialog.GetByText("Camille LEFEBVRE (moi)")).ToBeVisibleAsync();
        await dialog.GetByLabel("Julien MARTIN").CheckAsync();
        await dialog.GetByLabel("Pouvez-vous nous donner plus d'informations ?")
            .FillAsync("Notre facture du trimestre semble en double.");
        var file = Path.Combine(Path.GetTempPath(), "facture-t3.pdf");
        await File.WriteAllBytesAsync(file, [.. "%PDF-1.7\n"u8, .. new byte[4096]]);
        await dialog.Locator("input[type=file]").SetInputFilesAsync(file);
        await Expect(dialog.GetByText("Prêt")).ToBeVisibleAsync();
        await Portal.ScreenshotAsync(member, "2-contacter-mon-service");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(member));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer ma demande" }).ClickAsync();

        await member.WaitForURLAsync(ThreadUrl());
        var threadPath = new Uri(member.Url).AbsolutePath;
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Facturation" })).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "facture-t3.pdf" })).ToBeVisibleAsync();
        await Expect(member.GetByText("Julien MARTIN")).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Annuler la demande" })).ToBeVisibleAsync();

        // Who may see it: Sophie is added.
        await member.GetByRole(AriaRole.Button, new() { Name = "Modifier" }).ClickAsync();
        await member.GetByLabel("Sophie BERNARD").CheckAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
        await Expect(member.GetByText("Camille LEFEBVRE (moi), Julien MARTIN, Sophie BERNARD")).ToBeVisibleAsync();
        await member.GetByRole(AriaRole.Link, new() { Name = "← Tous les échanges" }).ClickAsync();
        await member.WaitForURLAsync("**/echanges");

        // The service answers, asking for a reply; the member's badge changes without a reload.
        var staff = await Portal.SignInAsync(Nadia);
        await staff.GotoAsync(threadPath);
        await staff.GetByLabel("Message").FillAsync("Pouvez-vous nous envoyer le numéro de la facture ?");
        await staff.GetByLabel("Une réponse est attendue").CheckAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Expect(staff.GetByText("Pouvez-vous nous envoyer le numéro de la facture ?")).ToBeVisibleAsync();
        // A note for the service alone.
        await staff.GetByLabel("Nouvelle note interne").FillAsync("Vérifier l'avoir de septembre avant de répondre.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Ajouter la note" }).ClickAsync();
        await Expect(staff.GetByText("Vérifier l'avoir de septembre avant de répondre.")).ToBeVisibleAsync();
        Assert.Empty(await Portal.AccessibilityViolationsAsync(staff));

        // Five hops (outbox, broker, notification, stream, page): Playwright's 5 s default is too short
        // when the CI machine runs two test projects at once; a stream's next heartbeat (20 s) stays out of reach.
        await Expect(member.GetByTestId("unread-badge")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await Expect(member.GetByText("Action requise").First).ToBeVisibleAsync();
        // Its row says when it last moved and how the latest message starts, to tell it from others of its subject.
        var row = member.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Facturation") }).First;
        await Expect(row).ToContainTextAsync("Pouvez-vous nous envoyer le numéro de la facture ?");
        await Expect(row).ToContainTextAsync("Mis à jour le");
        await Portal.ScreenshotAsync(member, "3-echanges-non-lu");

        // The member replies, closes with a reason, and reopens.
        await member.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Facturation") }).First.ClickAsync();
        await Expect(member.GetByTestId("unread-badge")).ToHaveCountAsync(0);
        await member.GetByRole(AriaRole.Button, new() { Name = "Répondre" }).ClickAsync();
        await member.GetByLabel("Message").FillAsync("C'est la facture 2026-0042.");
        await member.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Expect(member.GetByText("C'est la facture 2026-0042.")).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Notes internes" })).ToHaveCountAsync(0);
        await Expect(member.GetByText("Vérifier l'avoir de septembre", new() { Exact = false })).ToHaveCountAsync(0);
        await Portal.ScreenshotAsync(member, "4-echange");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(member));

        await member.GetByRole(AriaRole.Button, new() { Name = "Fermer la demande" }).ClickAsync();
        var closing = member.GetByRole(AriaRole.Dialog);
        await closing.GetByLabel("Motif")
            .SelectOptionAsync(new SelectOptionValue { Label = "La demande est résolue" });
        await closing.GetByLabel("Message au service").FillAsync("Merci, c'est réglé.");
        await closing.GetByRole(AriaRole.Button, new() { Name = "Confirmer" }).ClickAsync();
        await Expect(member.GetByText("Camille LEFEBVRE a fermé cette demande", new() { Exact = false }))
            .ToBeVisibleAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Rouvrir la demande" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Fermer la demande" })).ToBeVisibleAsync();

        // The service closes it: a banner, and no way to write or reopen for the member.
        await staff.ReloadAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Fermer la demande" }).ClickAsync();
        var staffClosing = staff.GetByRole(AriaRole.Dialog);
        await staffClosing.GetByLabel("Motif")
            .SelectOptionAsync(new SelectOptionValue { Label = "La demande est résolue" });
        await staffClosing.GetByRole(AriaRole.Button, new() { Name = "Confirmer" }).ClickAsync();
        await Expect(staff.GetByText("PÔLE SANTÉ TRAVAIL a clôturé cette demande", new() { Exact = false }))
            .ToBeVisibleAsync();

        await member.ReloadAsync();
        await Expect(member.GetByText("PÔLE SANTÉ TRAVAIL a clôturé cette demande", new() { Exact = false }))
            .ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Rouvrir la demande" })).ToHaveCountAsync(0);
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Répondre" })).ToHaveCountAsync(0);
        await Expect(member.GetByLabel("Message")).ToHaveCountAsync(0);
        await Portal.ScreenshotAsync(member, "5-echange-clos-par-le-service");
        await Portal.ScreenshotAsync(staff, "6-console-du-service");
    }

    [Fact]
    public async Task Text_that_looks_medical_is_flagged_before_sending_and_may_be_sent_anyway_at_phone_width()
    {
        var member = await Portal.SignInAsync(Camille, new ViewportSize { Width = 390, Height = 844 });
        await member.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        var dialog = member.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer ma demande" }).ClickAsync();
        await Expect(dialog.GetByText("Choisissez l'objet de la demande.")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("Décrivez votre demande.")).ToBeVisibleAsync();

        await dialog.GetByLabel("Quel est l'objet de votre demande ?")
            .SelectOptionAsync(new SelectOptionValue { Label = "Autre demande" });
        await dialog.GetByLabel("Pouvez-vous nous donner plus d'informations ?")
            .FillAsync("M. Martin est en arrêt maladie, NIR 1 85 07 75 123 456 08.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer ma demande" }).ClickAsync();
        await Expect(dialog.GetByText("Votre texte semble contenir des informations personnelles ou médicales"))
            .ToBeVisibleAsync();
        await Expect(dialog.Locator("mark", new() { HasText = "arrêt maladie" })).ToBeVisibleAsync();
        await Portal.ScreenshotAsync(member, "7-avertissement-telephone");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer quand même" }).ClickAsync();
        await member.WaitForURLAsync(ThreadUrl());
    }

    [GeneratedRegex(@"/echanges/[0-9a-f-]{36}$")]
    private static partial Regex ThreadUrl();
}
