using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Testing;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The staff console's API through the gateway: teams and assignment, staff list filters, reply templates and the
/// service's figures; members are refused every part of it and never see routing data.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StaffConsoleTests(PortalApp portal)
{
    private static readonly string[] RoutingFields = ["assignment", "dueAt", "overdue", "firstResponseAt"];

    [Fact]
    public async Task A_new_thread_goes_to_its_subject_team_and_the_person_it_is_given_to_is_told_live()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var thomas = await portal.GatewayAsAsync(Demo.Thomas);
        var nadiaId = await Api.UserIdAsync(nadia);
        var thomasId = await Api.UserIdAsync(thomas);
        var ticket = await Api.OpenThreadAsync(
            camille, "Une visite de reprise, s'il vous plaît.", subject: "rendez-vous");

        var routed = await nadia.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");
        Assert.Equal("planification", routed.GetProperty("assignment").GetProperty("team").GetString());
        Assert.Equal(JsonValueKind.Null, routed.GetProperty("assignment").GetProperty("assignee").ValueKind);
        Assert.True(routed.GetProperty("dueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(20));
        Assert.False(routed.GetProperty("overdue").GetBoolean());
        Assert.Equal(JsonValueKind.Null, routed.GetProperty("firstResponseAt").ValueKind);

        await using var stream = await LiveStream.OpenAsync(portal, Demo.Nadia);
        await stream.NextAsync("unread-count");
        await AssertRefusedAsync(thomas, ticket, new { team = "planification", assigneeId = thomasId },
            HttpStatusCode.BadRequest, "assignment.assignee_not_in_team");
        await AssertRefusedAsync(thomas, ticket, new { team = "inconnue", assigneeId = (Guid?)null },
            HttpStatusCode.BadRequest, "assignment.team_unknown");
        await AssertRefusedAsync(camille, ticket, new { team = "planification", assigneeId = nadiaId },
            HttpStatusCode.Forbidden, "auth.staff_only");
        await AssertRefusedAsync(thomas, Guid.NewGuid(), new { team = "planification", assigneeId = nadiaId },
            HttpStatusCode.NotFound, "not_found");

        var given = await thomas.PutAsJsonAsync($"/api/tickets/{ticket}/assignment",
            new { team = "planification", assigneeId = nadiaId });
        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        var assignee = (await given.Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("assignment").GetProperty("assignee");
        Assert.Equal((nadiaId, "Nadia BENALI"),
            (assignee.GetProperty("id").GetGuid(), assignee.GetProperty("displayName").GetString()));

        var told = JsonDocument.Parse((await stream.NextAsync("notification")).Item.Data).RootElement;
        Assert.Equal(("ticket_assigned", ticket),
            (told.GetProperty("kind").GetString(), told.GetProperty("ticketId").GetGuid()));
        Assert.Contains((await nadia.GetFromJsonAsync<JsonElement>("/api/notifications?limit=100"))
            .GetProperty("items").EnumerateArray(),
            n => n.GetProperty("kind").GetString() == "ticket_assigned"
                && n.GetProperty("ticketId").GetGuid() == ticket);

        Assert.Contains(ticket, await IdsAsync(nadia, "assignee=me&team=planification"));
        Assert.Contains(ticket, await IdsAsync(nadia, "team=mine&filter=in_progress"));
        Assert.Contains(ticket, await IdsAsync(thomas, $"assignee={nadiaId}"));
        Assert.DoesNotContain(ticket, await IdsAsync(thomas, "assignee=me"));
        Assert.DoesNotContain(ticket, await IdsAsync(nadia, "assignee=none"));
        Assert.DoesNotContain(ticket, await IdsAsync(thomas, "team=mine"));
        Assert.DoesNotContain(ticket, await IdsAsync(nadia, "overdue=true"));

        // Members: no routing field anywhere, and no staff filter.
        var thread = await camille.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}");
        var row = (await camille.GetFromJsonAsync<JsonElement>("/api/tickets?limit=100")).GetProperty("items")
            .EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == ticket);
        foreach (var field in RoutingFields)
        {
            Assert.False(thread.TryGetProperty(field, out _), field);
            Assert.False(row.TryGetProperty(field, out _), field);
        }
        foreach (var query in new[] { "assignee=me", "team=planification", "overdue=true" })
            Assert.Equal(HttpStatusCode.Forbidden, (await camille.GetAsync($"/api/tickets?{query}")).StatusCode);
        foreach (var query in new[] { "assignee=quelqu-un", "team=inconnue" })
            Assert.Equal(HttpStatusCode.BadRequest, (await nadia.GetAsync($"/api/tickets?{query}")).StatusCode);
    }

    [Fact]
    public async Task Staff_see_the_teams_and_who_is_in_them_and_members_are_refused()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);

        var teams = await nadia.GetFromJsonAsync<JsonElement>("/api/teams");
        Assert.Equal(["accueil", "planification", "gestion"],
            teams.EnumerateArray().Select(t => t.GetProperty("code").GetString()));
        Assert.Equal(["rendez-vous", "convocation"], teams[1].GetProperty("subjectCodes").EnumerateArray()
            .Select(s => s.GetString()));
        var staff = (await nadia.GetFromJsonAsync<JsonElement>("/api/staff")).EnumerateArray().ToList();
        Assert.Equal(["accueil", "planification"], staff.Single(s => s.GetProperty("displayName").GetString()
            == "Nadia BENALI").GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["accueil", "gestion"], staff.Single(s => s.GetProperty("displayName").GetString()
            == "Thomas ROUX").GetProperty("teams").EnumerateArray().Select(t => t.GetString()));

        foreach (var path in new[] { "/api/teams", "/api/staff", "/api/service-stats", "/api/reply-templates" })
        {
            var refused = await camille.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_template_is_filled_in_for_a_thread_and_staff_keep_templates_per_team()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var ticket = await Api.OpenThreadAsync(camille, "Nous attendons une attestation.");
        var number = (await nadia.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticket}")).GetProperty("number")
            .GetInt64();

        Assert.Contains((await nadia.GetFromJsonAsync<JsonElement>("/api/reply-templates?team=accueil"))
            .EnumerateArray(), t => t.GetProperty("title").GetString() == "Accusé de réception");
        var created = await nadia.PostAsJsonAsync("/api/reply-templates", new
        {
            team = "gestion", title = "Attestation " + Guid.NewGuid().ToString("N")[..6],
            body = "Bonjour {{prenom}} {{nom}},\nvoici l'attestation de {{entreprise}} (n° {{numero}}).",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal($"/api/reply-templates/{id}", created.Headers.Location?.ToString());
        Assert.Contains((await nadia.GetFromJsonAsync<JsonElement>("/api/reply-templates?team=gestion"))
            .EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.DoesNotContain((await nadia.GetFromJsonAsync<JsonElement>("/api/reply-templates?team=accueil"))
            .EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);

        var rendered = await nadia.GetFromJsonAsync<JsonElement>($"/api/reply-templates/{id}/render?ticketId={ticket}");
        Assert.Equal($"Bonjour Camille LEFEBVRE,\nvoici l'attestation de Boulangerie Martin (n° {number}).",
            rendered.GetProperty("body").GetString());

        var edited = await nadia.PutAsJsonAsync($"/api/reply-templates/{id}",
            new { team = "gestion", title = "Attestation", body = "Bonjour {{prenom}}." });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("Bonjour Camille.", (await nadia.GetFromJsonAsync<JsonElement>(
            $"/api/reply-templates/{id}/render?ticketId={ticket}")).GetProperty("body").GetString());

        var invalid = await nadia.PostAsJsonAsync(
            "/api/reply-templates", new { team = "inconnue", title = "", body = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("team", out _) && errors.TryGetProperty("title", out _)
            && errors.TryGetProperty("body", out _));
        foreach (var refused in new[]
                 {
                     await camille.PostAsJsonAsync(
                         "/api/reply-templates", new { team = "gestion", title = "x", body = "y" }),
                     await camille.GetAsync($"/api/reply-templates/{id}/render?ticketId={ticket}"),
                     await camille.DeleteAsync($"/api/reply-templates/{id}"),
                 })
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await nadia.GetAsync($"/api/reply-templates/{id}/render?ticketId={Guid.NewGuid()}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await nadia.DeleteAsync($"/api/reply-templates/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await nadia.GetAsync($"/api/reply-templates/{id}/render?ticketId={ticket}")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_figures_cover_every_team_and_only_staff_read_them()
    {
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        await Api.OpenThreadAsync(camille, "Une question sur la cotisation.", subject: "adhesion");

        var stats = await nadia.GetFromJsonAsync<JsonElement>("/api/service-stats?days=30");
        var teams = stats.GetProperty("teams").EnumerateArray().ToList();
        Assert.Equal(["accueil", "planification", "gestion"], teams.Select(t => t.GetProperty("team").GetString()));
        Assert.True(teams[0].GetProperty("open").GetInt64() >= 1);
        Assert.True(teams[0].GetProperty("unassigned").GetInt64() >= 1);
        foreach (var field in new[] { "overdue", "medianFirstResponseMinutes", "medianResolutionMinutes" })
            Assert.True(teams[0].TryGetProperty(field, out _), field);
        Assert.Equal(HttpStatusCode.BadRequest, (await nadia.GetAsync("/api/service-stats?days=0")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_staff_fields_of_threads_and_rows()
    {
        using var gateway = portal.Gateway();
        var schemas = (await gateway.GetFromJsonAsync<JsonElement>("/openapi/tickets.json"))
            .GetProperty("components").GetProperty("schemas");
        foreach (var type in new[] { "ThreadView", "TicketSummary" })
        {
            var properties = schemas.GetProperty(type).GetProperty("properties");
            foreach (var field in RoutingFields)
                Assert.True(properties.TryGetProperty(field, out _), $"{type}.{field}");
            Assert.False(properties.TryGetProperty("forStaff", out _), $"{type}.forStaff");
        }
        foreach (var type in new[] { "ReplyTemplate", "TrailEntryView", "ServiceStatsView", "Team" })
            Assert.True(schemas.TryGetProperty(type, out _), type);
    }

    private static async Task AssertRefusedAsync(
        HttpClient client, Guid ticket, object assignment, HttpStatusCode status, string code)
    {
        var refused = await client.PutAsJsonAsync($"/api/tickets/{ticket}/assignment", assignment);
        Assert.Equal(status, refused.StatusCode);
        Assert.Equal(code, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static async Task<IReadOnlyList<Guid>> IdsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets?limit=100&{query}")).GetProperty("items")
            .EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
}
