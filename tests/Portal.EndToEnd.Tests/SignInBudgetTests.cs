using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Sign-in cannot be turned against people: attempts are paid, before any password is looked at,
/// from the account's and the client address's budgets, or from a trusted device's own; nobody can
/// lock anyone out of a browser where they signed in before.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SignInBudgetTests(PortalApp portal)
{
    // Access's defaults (SignInBudgetOptions): 5 per account then one a minute, 30 per address then one every 10 s.
    private const int AccountAttempts = 5;
    private const int AddressAttempts = 30;

    [Fact]
    public async Task Thirty_concurrent_wrong_guesses_evaluate_no_more_than_the_accounts_budget()
    {
        using var client = From("127.0.0.11");
        var email = $"devine-{Guid.NewGuid():N}@boulangerie-martin.example";
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(
            Enumerable.Range(0, 30).Select(i => SignInAsync(client, email, "mauvais-" + i)));
        // A minute more would have refilled one attempt.
        var budget = AccountAttempts + (int)clock.Elapsed.TotalMinutes;

        var evaluated = answers.Count(a => a.Status == HttpStatusCode.Unauthorized);
        Assert.InRange(evaluated, 1, budget);
        Assert.Equal(30, evaluated + answers.Count(a => a.Status == HttpStatusCode.TooManyRequests));
        var throttled = answers.First(a => a.Status == HttpStatusCode.TooManyRequests);
        Assert.Equal("auth.throttled", throttled.Code);
        Assert.StartsWith("Trop de tentatives de connexion", throttled.Detail);
        Assert.True(throttled.RetryAfter >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Others_wrong_guesses_never_slow_a_client_that_signed_in_before()
    {
        using var lea = From("127.0.0.12");
        using var attacker = From("127.0.0.13");
        var first = await SignInAsync(lea, Demo.Lea, Demo.Password);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.NotNull(first.DeviceToken);

        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < AccountAttempts + 3; i++)
            guesses.Add((await SignInAsync(attacker, Demo.Lea, "mauvais-" + i)).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, guesses);

        // Without its device token Léa waits like anyone; with it she is in, and gets a fresh one.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(lea, Demo.Lea, Demo.Password)).Status);
        var trusted = await SignInAsync(lea, Demo.Lea, Demo.Password, first.DeviceToken);
        Assert.Equal(HttpStatusCode.OK, trusted.Status);
        Assert.NotNull(trusted.DeviceToken);
        // A device token names its person: it opens no budget for another account, and is no access token.
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await SignInAsync(attacker, Demo.Lea, Demo.Password, "not-a-token")).Status);
        using var misuse = new HttpRequestMessage(HttpMethod.Get, "/api/me")
        {
            Headers = { { "Authorization", "Bearer " + first.DeviceToken } }
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await lea.SendAsync(misuse)).StatusCode);
    }

    [Fact]
    public async Task The_gateway_believes_X_Forwarded_For_only_from_the_web_front_end()
    {
        // Any other local process is counted at its own address, whatever it claims.
        using var local = From("127.0.0.14");
        var clock = Stopwatch.StartNew();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < AddressAttempts + 15; i++)
            answers.Add((await SignInAsync(local, Unknown(), "x", forwardedFor: $"203.0.113.{i + 1}")).Status);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.Unauthorized), 1,
            AddressAttempts + (int)clock.Elapsed.TotalSeconds / 2);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);

        // From the web front end's address, the browser it forwards for is counted: one browser's failures leave
        // another's budget whole.
        using var frontEnd = From(LoopbackClient.WebFrontEnd);
        answers.Clear();
        clock.Restart();
        for (var i = 0; i < AddressAttempts + 15; i++)
            answers.Add((await SignInAsync(frontEnd, Unknown(), "x", forwardedFor: "198.51.100.77")).Status);
        Assert.InRange(answers.Count(a => a == HttpStatusCode.Unauthorized), 1,
            AddressAttempts + (int)clock.Elapsed.TotalSeconds / 2);
        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await SignInAsync(frontEnd, Unknown(), "x", forwardedFor: "198.51.100.78")).Status);
    }

    private static string Unknown() => $"personne-{Guid.NewGuid():N}@inconnu.example";

    private HttpClient From(string sourceAddress) =>
        LoopbackClient.Create(portal.Gateway().BaseAddress!, sourceAddress);

    private sealed record Answer(
        HttpStatusCode Status,
        string? Code,
        string? Detail,
        TimeSpan? RetryAfter,
        string? DeviceToken);

    private static async Task<Answer> SignInAsync(
        HttpClient client, string email, string password, string? deviceToken = null, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
        {
            Content = JsonContent.Create(new { email, password, deviceToken })
        };
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string? Text(string name) => body.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new Answer(response.StatusCode, Text("code"), Text("detail"), response.Headers.RetryAfter?.Delta,
            Text("deviceToken"));
    }
}
