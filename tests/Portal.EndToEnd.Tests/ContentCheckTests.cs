using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public sealed class ContentCheckTests(PortalApp portal)
{
    [Fact]
    public async Task The_form_hears_what_looks_personal_or_medical_with_its_position()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        const string text = "M. Martin, 1 85 07 75 123 456 08, est en arrêt de travail.";
        var answer = await camille.PostAsJsonAsync("/api/content-check", new { text });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var warnings = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warnings").EnumerateArray()
            .Select(w => (
                Kind: w.GetProperty("kind").GetString(),
                Text: text.Substring(w.GetProperty("start").GetInt32(), w.GetProperty("length").GetInt32())))
            .ToList();
        Assert.Equal([("nir", "1 85 07 75 123 456 08"), ("medical", "arrêt de travail")], warnings);

        Assert.Equal(HttpStatusCode.BadRequest,
            (await camille.PostAsJsonAsync("/api/content-check", new { })).StatusCode);
    }
}
