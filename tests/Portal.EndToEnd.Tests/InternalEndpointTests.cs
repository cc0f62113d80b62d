using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Internal endpoints take a service's own token (audience: the called service, caller on the allow-list), never a
/// person's.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class InternalEndpointTests(PortalApp portal)
{
    private static readonly (string Service, HttpMethod Method, string Path)[] InternalEndpoints =
    [
        ("access", HttpMethod.Post, "/internal/ticket-access"),
        ("access", HttpMethod.Get, "/internal/revocations"),
        ("attachments", HttpMethod.Post, "/internal/attachments/check"),
        ("tickets", HttpMethod.Post, "/internal/unread-counts"),
    ];

    [Fact]
    public async Task A_persons_token_opens_no_internal_endpoint_of_any_service()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var ticketId = await Api.OpenThreadAsync(camille, "Une demande dont un autre voudrait la liste", "restricted");
        foreach (var email in new[] { Demo.Marc, Demo.Camille, Demo.Nadia })
        {
            var token = await portal.TokenAsync(email);
            foreach (var (service, method, path) in InternalEndpoints)
            {
                using var client = portal.Service(service);
                using var request = new HttpRequestMessage(method, path)
                {
                    Content = method == HttpMethod.Get ? null : JsonContent.Create(new
                    {
                        ticketId, companyId = Guid.NewGuid(), creatorId = Guid.NewGuid(), mode = "company",
                        userIds = Array.Empty<Guid>(),
                        ownerId = Guid.NewGuid(), ids = Array.Empty<Guid>(),
                        readers = new[] { new { userId = Guid.NewGuid(), staff = true } },
                    }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var response = await client.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
                    $"{email} on {service} {path}: {response.StatusCode}");
                Assert.DoesNotContain("restricted", await response.Content.ReadAsStringAsync());
            }
        }
        // And the gateway routes none of them.
        using var gateway = await portal.GatewayAsAsync(Demo.Nadia);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync("/internal/revocations")).StatusCode);
    }

    [Fact]
    public async Task A_service_token_needs_the_right_secret_the_right_audience_and_a_caller_on_the_endpoints_list()
    {
        using var access = portal.Service("access");
        var wrongSecret = await access.PostAsJsonAsync(
            "/internal/service-token", new { clientId = "tickets", clientSecret = "guess", audience = "access" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);

        // Tickets' token for Access is not one for Attachments.
        var forAccess = await ServiceTokenAsync("tickets", "access");
        using var attachments = portal.Service("attachments");
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(
            attachments, HttpMethod.Post, "/internal/attachments/check", forAccess,
            new { ownerId = Guid.NewGuid(), ids = Array.Empty<Guid>() })).StatusCode);
        // The gateway may read revocations, not register access lists.
        var gatewayToken = await ServiceTokenAsync("gateway", "access");
        Assert.Equal(HttpStatusCode.OK,
            (await SendAsync(access, HttpMethod.Get, "/internal/revocations", gatewayToken, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(
            access, HttpMethod.Post, "/internal/ticket-access", gatewayToken,
            new
            {
                ticketId = Guid.NewGuid(), companyId = Guid.NewGuid(), creatorId = Guid.NewGuid(), mode = "company",
                userIds = Array.Empty<Guid>()
            })).StatusCode);
        // A service token is no person's: the public API refuses it.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await SendAsync(access, HttpMethod.Get, "/api/me", forAccess, null)).StatusCode);
    }

    [Fact]
    public async Task Registering_a_list_again_answers_the_same_and_another_list_is_a_conflict_that_tells_nothing()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var me = await camille.GetFromJsonAsync<JsonElement>("/api/me");
        var token = await ServiceTokenAsync("tickets", "access");
        using var access = portal.Service("access");
        var registration = new
        {
            ticketId = Guid.NewGuid(),
            companyId = me.GetProperty("companyId").GetGuid(),
            creatorId = me.GetProperty("id").GetGuid(),
            mode = "restricted",
            userIds = Array.Empty<Guid>(),
        };

        var first = await SendAsync(access, HttpMethod.Post, "/internal/ticket-access", token, registration);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var again = await SendAsync(access, HttpMethod.Post, "/internal/ticket-access", token, registration);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());

        var other = await SendAsync(
            access, HttpMethod.Post, "/internal/ticket-access", token, registration with { mode = "company" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var body = await other.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("access.already_registered", body.GetProperty("code").GetString());
        Assert.False(body.TryGetProperty("users", out _));
        Assert.DoesNotContain(registration.creatorId.ToString(), body.ToString());

        // An existing thread: the same holds for someone trying to learn its list.
        var existing = await Api.OpenThreadAsync(camille, "Une demande existante", "restricted");
        var probe = await SendAsync(access, HttpMethod.Post, "/internal/ticket-access", token,
            registration with { ticketId = existing, mode = "company" });
        Assert.Equal(HttpStatusCode.Conflict, probe.StatusCode);
        Assert.DoesNotContain(registration.creatorId.ToString(), await probe.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Notifications_asks_for_many_badges_at_once_and_gets_what_each_person_would_see()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        await Api.OpenThreadAsync(camille, "Une demande qui compte pour le service", "company");
        var people = new[] { camille, nadia };
        var readers = new List<object>();
        foreach (var person in people)
        {
            var me = await person.GetFromJsonAsync<JsonElement>("/api/me");
            var companyId = me.TryGetProperty("companyId", out var company) && company.ValueKind == JsonValueKind.String
                ? company.GetGuid()
                : (Guid?)null;
            readers.Add(new { userId = me.GetProperty("id").GetGuid(), staff = companyId is null, companyId });
        }
        using var tickets = portal.Service("tickets");
        var token = await ServiceTokenAsync("notifications", "tickets");

        var response = await SendAsync(tickets, HttpMethod.Post, "/internal/unread-counts", token, new { readers });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var counts = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(c => c.GetProperty("count").GetInt64()).ToList();
        var own = new List<long>();
        foreach (var person in people)
            own.Add((await person.GetFromJsonAsync<JsonElement>("/api/tickets/unread-count"))
                .GetProperty("count").GetInt64());
        Assert.Equal(own, counts);
        Assert.True(counts[1] > 0, "the staff badge counts Camille's new thread");

        // Only Notifications may ask; a member without a company, or no reader at all, is refused and tells nothing.
        var attachmentsToken = await ServiceTokenAsync("attachments", "tickets");
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(
            tickets, HttpMethod.Post, "/internal/unread-counts", attachmentsToken, new { readers })).StatusCode);
        foreach (var bad in new object[]
        {
            new { readers = Array.Empty<object>() },
            new { readers = new[] { new { userId = Guid.NewGuid(), staff = false } } },
            new { readers = (object?)null },
        })
        {
            var refused = await SendAsync(tickets, HttpMethod.Post, "/internal/unread-counts", token, bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(
                "unread.readers_invalid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private async Task<string> ServiceTokenAsync(string service, string audience)
    {
        var secret = (await portal.EnvironmentAsync(service))["ServiceIdentity__ClientSecret"];
        using var access = portal.Service("access");
        var response = await access.PostAsJsonAsync(
            "/internal/service-token", new { clientId = service, clientSecret = secret, audience });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body)
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
