using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// What a 201 promises is true at once: everyone who may see the thread downloads its files in that instant, with no
/// retry.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ImmediateDownloadTests(PortalApp portal)
{
    [Fact]
    public async Task The_files_of_a_new_thread_and_of_a_reply_are_downloadable_by_the_list_as_soon_as_the_201_arrives()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);

        var opening = await UploadAsync(camille, "bon-de-commande.txt");
        var ticketId = await Api.OpenThreadAsync(camille, "Voici le bon de commande.", "restricted",
            [await Api.UserIdAsync(sophie)], attachmentIds: [opening]);
        Assert.Equal(HttpStatusCode.OK, (await sophie.GetAsync($"/api/attachments/{opening}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await julien.GetAsync($"/api/attachments/{opening}")).StatusCode);

        var reply = await UploadAsync(camille, "complement.txt");
        var posted = await camille.PostAsJsonAsync($"/api/tickets/{ticketId}/messages",
            new { body = "Et le complément.", attachmentIds = new[] { reply } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sophie.GetAsync($"/api/attachments/{reply}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await julien.GetAsync($"/api/attachments/{reply}")).StatusCode);
    }

    private static async Task<Guid> UploadAsync(HttpClient client, string fileName)
    {
        var response = await Api.UploadAsync(client, "Quantité : 12 cartons."u8.ToArray(), fileName);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
