using Portal.Testing;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;
using Npgsql;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Portal.Browser.Tests;

/// <summary>Staff close and reopen a member's account; signing out ends the token itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Lea = "lea.petit@transports-dubois.example";
    private const string Marc = "marc.dubois@transports-dubois.example";

    [Fact]
    public async Task
        A_deactivated_member_is_sent_back_to_sign_in_and_cannot_return_until_staff_reactivate_the_account()
    {
        var lea = await Portal.SignInAsync(Lea);
        var staff = await Portal.SignInAsync("nadia.benali@pole-sante-travail.example");
        await staff.GetByRole(AriaRole.Link, new() { Name = "Comptes" }).ClickAsync();
        // The Échanges page has an « Entreprise » filter too: act once the new page is there.
        await Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Comptes des adhérents" })).ToBeVisibleAsync();
        await staff.GetByLabel("Entreprise").SelectOptionAsync(new SelectOptionValue { Label = "Transports Dubois" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Désactiver Léa PETIT" }).ClickAsync();
        await Expect(staff.GetByText("Le compte de Léa PETIT est désactivé")).ToBeVisibleAsync();
        await Expect(staff.GetByRole(AriaRole.Row, new() { Name = "Léa PETIT" })).ToContainTextAsync("Désactivé");
        await Portal.ScreenshotAsync(staff, "9-console-comptes");
        Assert.Empty(await Portal.AccessibilityViolationsAsync(staff));

        // Léa's open page learns that her session is over, and she cannot sign in again.
        await lea.WaitForURLAsync("**/connexion?expire=true**", new() { Timeout = 20_000 });
        await lea.GetByLabel("Adresse e-mail").FillAsync(Lea);
        await lea.GetByLabel("Mot de passe").FillAsync(Demo.Password);
        await lea.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Expect(lea.GetByText("Adresse e-mail ou mot de passe incorrect.")).ToBeVisibleAsync();

        await staff.GetByRole(AriaRole.Button, new() { Name = "Réactiver Léa PETIT" }).ClickAsync();
        await Expect(staff.GetByText("Le compte de Léa PETIT est réactivé")).ToBeVisibleAsync();
        await Portal.SignInAsync(Lea);
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_itself_not_only_the_browser_session()
    {
        var marcId = new Guid(MD5.HashData(Encoding.UTF8.GetBytes("portal-demo:" + Marc)));
        var before = await RevocationsOfAsync(marcId);
        var page = await Portal.SignInAsync(Marc);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        // The sign-out's own redirect, or the live page noticing first that its token is revoked
        // (« connexion?expire=true »): both end on the sign-in page, signed out.
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/connexion(\\?|$)"));
        Assert.Equal(before + 1, await RevocationsOfAsync(marcId));
    }

    private async Task<long> RevocationsOfAsync(Guid userId)
    {
        await using var connection = new NpgsqlConnection(await Portal.ConnectionStringAsync("access-db"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from revocations where user_id = $1 and token_id is not null", connection);
        command.Parameters.Add(new() { Value = userId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
