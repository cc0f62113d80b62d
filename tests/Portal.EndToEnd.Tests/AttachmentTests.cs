using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Xunit;

namespace Portal.EndToEnd.Tests;

[Collection(PortalCollection.Name)]
public sealed class AttachmentTests(PortalApp portal)
{
    [Fact]
    public async Task A_file_goes_to_blob_storage_and_comes_back_identical_through_the_gateway()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var bytes = Pdf(300_000);

        var uploaded = await Api.UploadAsync(camille, bytes, "Attestation d'adhésion.pdf");

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var file = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Attestation d'adhésion.pdf", file.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", file.GetProperty("contentType").GetString());
        Assert.Equal(bytes.Length, file.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());

        var download = await camille.GetAsync($"/api/attachments/{file.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("filename*=UTF-8''Attestation%20d%27adh%C3%A9sion.pdf",
            download.Content.Headers.ContentDisposition?.ToString());
        Assert.NotNull(download.Headers.ETag);

        var range = new HttpRequestMessage(HttpMethod.Get, $"/api/attachments/{file.GetProperty("id").GetGuid()}");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await camille.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..2000], await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Rejected_files_get_their_status_and_leave_nothing_behind()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        var blobsBefore = await CountBlobsAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await Api.UploadAsync(camille, [], "vide.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Api.UploadAsync(camille, Executable(), "facture.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Api.UploadAsync(camille, Pdf(2000), "image.png")).StatusCode);
        // A client that announces its body (Expect: 100-continue) hears the 413 before sending it.
        var tooLarge = await Api.UploadAsync(camille, Pdf(21 * 1024 * 1024), "gros.pdf", expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Equal(blobsBefore, await CountBlobsAsync());
    }

    private async Task<int> CountBlobsAsync()
    {
        var container = new Azure.Storage.Blobs.BlobServiceClient(await portal.ConnectionStringAsync("blobs"))
            .GetBlobContainerClient("attachments");
        var count = 0;
        await foreach (var _ in container.GetBlobsAsync())
            count++;
        return count;
    }

    [Fact]
    public async Task A_file_is_its_uploaders_until_bound_then_follows_the_threads_access_list()
    {
        using var camille = await portal.GatewayAsAsync(Demo.Camille);
        using var julien = await portal.GatewayAsAsync(Demo.Julien);
        using var sophie = await portal.GatewayAsAsync(Demo.Sophie);
        using var marc = await portal.GatewayAsAsync(Demo.Marc);
        using var nadia = await portal.GatewayAsAsync(Demo.Nadia);
        var julienId = await Api.UserIdAsync(julien);

        var fileId = (await (await Api.UploadAsync(camille, Pdf(5000), "liste.pdf")).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var other in new[] { julien, marc, nadia })
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/attachments/{fileId}")).StatusCode);

        // Someone else cannot attach Camille's file.
        var stolen = await julien.PostAsJsonAsync("/api/tickets", NewThread([fileId], []));
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);

        var created = await camille.PostAsJsonAsync("/api/tickets", NewThread([fileId], [julienId]));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var thread = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("liste.pdf",
            thread.GetProperty("messages")[0].GetProperty("attachments")[0].GetProperty("fileName").GetString());

        await Api.WaitForStatusAsync(julien, $"/api/attachments/{fileId}", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await nadia.GetAsync($"/api/attachments/{fileId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sophie.GetAsync($"/api/attachments/{fileId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marc.GetAsync($"/api/attachments/{fileId}")).StatusCode);

        // Bound once: it cannot be attached again.
        Assert.Equal(HttpStatusCode.BadRequest,
            (await camille.PostAsJsonAsync("/api/tickets", NewThread([fileId], []))).StatusCode);
    }

    private static object NewThread(Guid[] attachmentIds, Guid[] userIds) => new
    {
        subjectCode = "effectifs",
        body = "Voici la liste de nos salariés.",
        attachmentIds,
        visibility = new { mode = "restricted", userIds },
    };

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Executable()
    {
        var bytes = new byte[4096];
        "\x7fELF\x02\x01\x01"u8.CopyTo(bytes);
        return bytes;
    }
}
