using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A signed-out token, or a deactivated person's, stops working everywhere within 5 seconds, and stays stopped.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class RevocationTests(PortalApp portal, ITestOutputHelper output)
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);

    // One cheap authenticated call per process, straight at it, and the gateway.
    private static readonly (string Resource, string Path)[] Everywhere =
    [
        ("gateway", "/api/me"),
        ("access", "/api/me"),
        ("tickets", "/api/tickets/unread-count"),
        ("attachments", $"/api/attachments/{Guid.Empty}"),
        ("notifications", "/api/notifications"),
    ];

    [Fact]
    public async Task A_revoked_token_is_refused_by_the_gateway_and_every_service_within_5_seconds()
    {
        var revoked = await portal.SignInAsync(Demo.Julien);
        var other = await portal.SignInAsync(Demo.Julien);
        Assert.All(await StatusesAsync(revoked), s => Assert.NotEqual(HttpStatusCode.Unauthorized, s.Status));

        using var gateway = portal.Gateway();
        using var revoke = new HttpRequestMessage(HttpMethod.Post, "/api/auth/revoke");
        revoke.Headers.Authorization = new AuthenticationHeaderValue("Bearer", revoked);
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.SendAsync(revoke)).StatusCode);

        await WaitUntilRefusedEverywhereAsync(revoked, clock);
        // Only that token: the same person's other session goes on.
        Assert.All(await StatusesAsync(other), s => Assert.NotEqual(HttpStatusCode.Unauthorized, s.Status));
    }

    [Fact]
    public async Task
        A_deactivated_person_cannot_sign_in_is_cut_off_everywhere_is_told_nothing_and_stays_listed_as_inactive()
    {
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        var sophieToken = await portal.SignInAsync(Demo.Sophie);
        var sophieId = await UserIdAsync(sophieToken);
        var companyId = await Api.CompanyIdAsync(camille);
        var ticketId = await Api.OpenThreadAsync(camille, "Sophie et Julien sont dans la boucle", "restricted",
            [sophieId, await Api.UserIdAsync(julien)]);

        // Members may not deactivate anyone.
        Assert.Equal(HttpStatusCode.Forbidden,
            (await camille.PostAsync($"/api/companies/{companyId}/users/{sophieId}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await nadia.PostAsync($"/api/companies/{Guid.NewGuid()}/users/{sophieId}/deactivate", null)).StatusCode);

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent,
            (await nadia.PostAsync($"/api/companies/{companyId}/users/{sophieId}/deactivate", null)).StatusCode);
        try
        {
            await WaitUntilRefusedEverywhereAsync(sophieToken, clock);

            // The same answer as a wrong password.
            using var anonymous = portal.Gateway();
            var signIn = await anonymous.PostAsJsonAsync(
                "/api/auth/token", new { email = Demo.Sophie, password = Demo.Password });
            var wrong = await anonymous.PostAsJsonAsync(
                "/api/auth/token", new { email = Demo.Sophie, password = "pas le bon" });
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
            Assert.Equal(await wrong.Content.ReadAsStringAsync(), await signIn.Content.ReadAsStringAsync());

            // Listed, inactive, in the company's users and the thread's list.
            var users = await nadia.GetFromJsonAsync<JsonElement>($"/api/companies/{companyId}/users");
            Assert.False(users.EnumerateArray().Single(u => u.GetProperty("id").GetGuid() == sophieId)
                .GetProperty("active").GetBoolean());
            var access = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}/access");
            Assert.False(access.GetProperty("users").EnumerateArray()
                .Single(u => u.GetProperty("id").GetGuid() == sophieId).GetProperty("active").GetBoolean());

            // The service writes: Julien is told, Sophie is not (both are decided in one transaction).
            var posted = await nadia.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
                new { body = "Voici la réponse.", attachmentIds = Array.Empty<Guid>() });
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            await Eventually.TrueAsync(async () =>
                (await julien.GetFromJsonAsync<JsonElement>("/api/notifications?limit=100")).GetProperty("items")
                    .EnumerateArray()
                    .Any(n => n.GetProperty("ticketId").GetGuid() == ticketId
                        && n.GetProperty("kind").GetString() == "message_posted"),
                within: TimeSpan.FromSeconds(10));
            await using var notifications =
                new NpgsqlConnection(await portal.ConnectionStringAsync("notifications-db"));
            await notifications.OpenAsync();
            await using var count = new NpgsqlCommand(
                "select count(*) from notifications where user_id = $1 and ticket_id = $2", notifications);
            count.Parameters.Add(new() { Value = sophieId });
            count.Parameters.Add(new() { Value = ticketId });
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent,
                (await nadia.PostAsync($"/api/companies/{companyId}/users/{sophieId}/reactivate", null)).StatusCode);
            portal.ForgetToken(Demo.Sophie);
        }

        // Reactivated: a new sign-in works; the tokens from before stay dead.
        var fresh = await portal.SignInAsync(Demo.Sophie);
        Assert.All(await StatusesAsync(fresh), s => Assert.NotEqual(HttpStatusCode.Unauthorized, s.Status));
        Assert.All(await StatusesAsync(sophieToken), s => Assert.Equal(HttpStatusCode.Unauthorized, s.Status));
    }

    private async Task WaitUntilRefusedEverywhereAsync(string token, Stopwatch clock)
    {
        IReadOnlyList<(string Resource, HttpStatusCode Status)> statuses = [];
        await Eventually.TrueAsync(
            async () => (statuses = await StatusesAsync(token)).All(s => s.Status == HttpStatusCode.Unauthorized),
            within: clock.Elapsed < Promise ? Promise - clock.Elapsed : TimeSpan.Zero,
            state: () => Task.FromResult(string.Join(", ", statuses.Where(s => s.Status != HttpStatusCode.Unauthorized)
                .Select(s => $"{s.Resource} answered {s.Status} after {clock.ElapsedMilliseconds} ms"))));
        output.WriteLine($"refused everywhere after {clock.ElapsedMilliseconds} ms");
    }

    private async Task<IReadOnlyList<(string Resource, HttpStatusCode Status)>> StatusesAsync(string token)
    {
        var statuses = new List<(string, HttpStatusCode)>();
        foreach (var (resource, path) in Everywhere)
        {
            using var client = portal.Service(resource);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            statuses.Add((resource, (await client.GetAsync(path)).StatusCode));
        }
        return statuses;
    }

    private async Task<Guid> UserIdAsync(string token)
    {
        using var client = portal.Gateway();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Api.UserIdAsync(client);
    }
}
