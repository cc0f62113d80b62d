using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>
/// A staff member's day on a member's new thread: it lands in its subject's team, is taken, gets a note, turns late
/// when its target passes (on the clock the test moves), shows on the dashboard, and is answered from a template.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StaffWorkTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_new_member_thread_is_routed_taken_noted_late_on_the_dashboard_and_answered_from_a_template()
    {
        var words = "Merci de nous renvoyer l'attestation de paiement " + Guid.NewGuid().ToString("N")[..6];
        var member = await Portal.SignInAsync("camille.lefebvre@boulangerie-martin.example");
        await member.GetByRole(AriaRole.Button, new() { Name = "Contacter mon service" }).ClickAsync();
        var dialog = member.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Quel est l'objet de votre demande ?")
            .SelectOptionAsync(new SelectOptionValue { Label = "Demande de document (attestation, avis)" });
        await dialog.GetByLabel("Pouvez-vous nous donner plus d'informations ?").FillAsync(words);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Envoyer ma demande" }).ClickAsync();
        await member.WaitForURLAsync(new Regex("/echanges/[0-9a-f-]{36}$"));
        var threadPath = new Uri(member.Url).AbsolutePath;

        // Thomas works in « Facturation et documents »: the thread is in his team's list, nobody's yet.
        var staff = await Portal.SignInAsync("thomas.roux@pole-sante-travail.example");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Mon équipe" }).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Non assignés" }).ClickAsync();
        var row = staff.Locator("li.thread", new() { HasText = words });
        await Expect(row).ToContainTextAsync("Facturation et documents — non attribuée");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await staff.WaitForURLAsync("**" + threadPath);

        var routing = staff.GetByRole(AriaRole.Region, new() { Name = "Traitement" });
        await Expect(routing).ToContainTextAsync("Équipe : Facturation et documents — non attribuée");
        await Expect(routing).ToContainTextAsync("Première réponse attendue avant le");
        await routing.GetByRole(AriaRole.Button, new() { Name = "Prendre en charge" }).ClickAsync();
        await Expect(routing).ToContainTextAsync("attribuée à Thomas ROUX");

        await staff.GetByLabel("Nouvelle note interne").FillAsync("Vérifier le paiement avant d'envoyer.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Ajouter la note" }).ClickAsync();
        await Expect(staff.GetByText("Vérifier le paiement avant d'envoyer.")).ToBeVisibleAsync();

        // A week later, still unanswered: late, in the list's « En retard » and on the dashboard.
        await Portal.MoveClockForwardAsync(TimeSpan.FromDays(7));
        await staff.ReloadAsync();
        await Expect(staff.GetByRole(AriaRole.Region, new() { Name = "Traitement" }).GetByText("En retard"))
            .ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Link, new() { Name = "← Tous les échanges" }).ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "En retard" }).ClickAsync();
        await Expect(staff.Locator("li.thread", new() { HasText = words })).ToContainTextAsync("En retard");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Tableau de bord" }).ClickAsync();
        var gestion = staff.Locator("tr[data-team=gestion]");
        await Expect(gestion).ToBeVisibleAsync();
        Assert.True(int.Parse(await gestion.Locator("td").Nth(2).InnerTextAsync()) >= 1);
        await Expect(staff.Locator("figure.chart svg")).ToBeVisibleAsync();
        await Portal.ScreenshotAsync(staff, "9-tableau-de-bord");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(staff));

        // The member sees none of it.
        await member.ReloadAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Traitement" })).ToHaveCountAsync(0);
        await Expect(member.GetByText("En retard")).ToHaveCountAsync(0);
        await Expect(member.GetByText("Vérifier le paiement")).ToHaveCountAsync(0);

        // A template, filled in for this thread, edited, sent: answered, no longer late.
        await staff.GotoAsync(threadPath);
        await staff.GetByLabel("Modèle de réponse")
            .SelectOptionAsync(new SelectOptionValue { Label = "Document transmis" });
        var body = staff.GetByLabel("Message");
        await Expect(body).ToHaveValueAsync(new Regex(
            @"^Bonjour Camille LEFEBVRE,\n\nVous trouverez ci-joint le document demandé pour Boulangerie Martin "
            + @"\(demande n° \d+\)\."));
        await Portal.ScreenshotAsync(staff, "10-modele-de-reponse");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(staff));
        await body.FillAsync((await body.InputValueAsync()) + "\nL'attestation est jointe.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
        await Expect(staff.GetByText("L'attestation est jointe.", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Region, new() { Name = "Traitement" }))
            .ToContainTextAsync("Première réponse le");
        await Expect(staff.GetByRole(AriaRole.Region, new() { Name = "Traitement" }).GetByText("En retard"))
            .ToHaveCountAsync(0);

        // « Consultations »: staff see who opened it; the member, their company's openings only.
        await staff.GetByRole(AriaRole.Button, new() { Name = "Afficher les consultations" }).ClickAsync();
        var trail = staff.GetByRole(AriaRole.Region, new() { Name = "Consultations" });
        await Expect(trail).ToContainTextAsync("Thomas ROUX (PÔLE SANTÉ TRAVAIL) — a ouvert la demande");
        await Expect(trail.GetByRole(AriaRole.Link, new() { Name = "Exporter les consultations (CSV)" }))
            .ToBeVisibleAsync();
        await member.GetByRole(AriaRole.Button, new() { Name = "Afficher les consultations" }).ClickAsync();
        var memberTrail = member.GetByRole(AriaRole.Region, new() { Name = "Consultations" });
        await Expect(memberTrail).ToContainTextAsync("Camille LEFEBVRE — a ouvert la demande");
        await Expect(memberTrail).Not.ToContainTextAsync("Thomas ROUX");
    }
}
