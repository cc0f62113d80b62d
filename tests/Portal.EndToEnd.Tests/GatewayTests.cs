using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>The front door: rate limits, body limits, headers, CORS.</summary>
[Collection(PortalCollection.Name)]
public sealed class GatewayTests(PortalApp portal)
{
    [Fact]
    public async Task A_burst_over_the_limit_gets_429_with_Retry_After_while_another_user_is_served()
    {
        // A member of their own: the demo users' buckets stay full for the other tests.
        using var burster = await portal.GatewayAsAsync((await portal.NewMemberAsync()).Email);
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var burst = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => burster.GetAsync("/api/ticket-subjects")));
        try
        {
            var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.NotEmpty(refused);
            Assert.Contains(burst, r => r.StatusCode == HttpStatusCode.OK);
            var first = refused[0];
            Assert.True(first.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
            Assert.Equal("rate_limited",
                (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

            // The burster's bucket is empty; Camille's is not.
            Assert.Equal(HttpStatusCode.OK, (await camille.GetAsync("/api/ticket-subjects")).StatusCode);
        }
        finally
        {
            foreach (var response in burst)
                response.Dispose();
        }
    }

    [Fact]
    public async Task An_oversize_JSON_body_gets_413_problem_json_without_being_read()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var body = JsonSerializer.Serialize(new
        {
            subjectCode = "autre",
            body = new string('a', 300 * 1024),
            visibility = new { mode = "company", userIds = Array.Empty<Guid>() }
        });
        var response = await camille.PostAsync(
            "/api/tickets", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("request.too_large",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Answers_carry_the_security_headers_and_no_Server_header()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        foreach (var path in new[] { "/api/me", "/api/tickets", "/api/nowhere" })
        {
            var response = await camille.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.False(response.Headers.Contains("Server"), path);
        }
    }

    [Fact]
    public async Task Only_allow_listed_front_end_origins_may_call_from_a_browser()
    {
        using var gateway = portal.Gateway();
        foreach (var (origin, allowed) in new[] { ("http://localhost:5173", true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/tickets");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            var response = await gateway.SendAsync(preflight);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values)
                && values.Single() == origin);
        }
    }
}
