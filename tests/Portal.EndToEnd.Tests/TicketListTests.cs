using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public sealed class TicketListTests(PortalApp portal)
{
    [Fact]
    public async Task Threads_are_listed_newest_first_filtered_searched_and_paged_for_those_who_may_see_them()
    {
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        // A word no other test writes, so that searching for it finds these threads only.
        var tag = "repere" + new string(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8).ToArray());

        var a = await Api.OpenThreadAsync(
            marc, $"Merci de prévoir le contrôle {tag} des chauffeurs.", subject: "convocation");
        var b = await Api.OpenThreadAsync(marc, $"Question {tag} sur la facture de novembre.", subject: "facturation");
        var c = await Api.OpenThreadAsync(marc, $"Demande {tag} diverse.", subject: "autre");

        Assert.Equal([c, b, a], await IdsAsync(marc, $"q={tag}"));
        Assert.Equal([a], await IdsAsync(marc, $"q=controle {tag}"));
        Assert.Equal([a], await IdsAsync(marc, $"q=CONTRÔLES {tag}"));
        Assert.Equal([b], await IdsAsync(marc, $"q=factures {tag}"));

        var first = await marc.GetFromJsonAsync<JsonElement>($"/api/tickets?q={tag}&limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await marc.GetFromJsonAsync<JsonElement>($"/api/tickets?q={tag}&limit=2&cursor={cursor}");
        Assert.Equal(a, second.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        await nadia.PostAsJsonAsync($"/api/tickets/{b}/messages",
            new { body = "Pouvez-vous préciser le numéro de facture ?", requiresReply = true });
        await marc.PostAsJsonAsync(
            $"/api/tickets/{c}/close", new { reason = "no_longer_needed", message = "Plus nécessaire." });

        Assert.Equal([b], await IdsAsync(marc, $"q={tag}&filter=action_required"));
        Assert.Equal([b], await IdsAsync(marc, $"q={tag}&filter=unread"));
        Assert.Equal([c], await IdsAsync(marc, $"q={tag}&filter=archived"));
        Assert.Equal([b, a], await IdsAsync(marc, $"q={tag}&filter=in_progress"));
        var summary = (await marc.GetFromJsonAsync<JsonElement>($"/api/tickets?q={tag}&filter=archived"))
            .GetProperty("items")[0];
        Assert.Equal("member", summary.GetProperty("closedBy").GetString());
        Assert.Equal("Autre demande", summary.GetProperty("title").GetString());

        // Another company sees none of them; staff see them all, and may filter by company.
        Assert.Empty(await IdsAsync(camille, $"q={tag}"));
        var transports = await Api.CompanyIdAsync(marc);
        var boulangerie = await Api.CompanyIdAsync(camille);
        Assert.Equal([c, b, a], await IdsAsync(nadia, $"q={tag}"));
        Assert.Equal(3, (await IdsAsync(nadia, $"q={tag}&companyId={transports}")).Length);
        Assert.Empty(await IdsAsync(nadia, $"q={tag}&companyId={boulangerie}"));
        Assert.Equal([a], await IdsAsync(nadia, $"q={tag}&filter=action_required"));

        Assert.Equal(HttpStatusCode.BadRequest, (await marc.GetAsync("/api/tickets?filter=everything")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await marc.GetAsync("/api/tickets?limit=101")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await marc.GetAsync("/api/tickets?cursor=not-a-cursor")).StatusCode);
    }

    private static async Task<Guid[]> IdsAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/tickets?{query}")).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("id").GetGuid()).ToArray();
}
