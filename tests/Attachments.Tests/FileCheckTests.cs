using System.Text;
using Portal.Attachments.Model;
using Portal.Attachments.Storage;
using Xunit;

namespace Portal.Attachments.Tests;

public sealed class FileCheckTests
{
    [Theory]
    [InlineData("%PDF-1.7", "a.pdf", "application/pdf")]
    [InlineData("\x89PNG\r\n\x1a\n", "a.png", "image/png")]
    [InlineData("\xff\xd8\xff\xe0", "photo.JPG", "image/jpeg")]
    [InlineData("nom;prénom\nMartin;Julien\n", "effectifs.csv", "text/csv; charset=utf-8")]
    [InlineData("Bonjour", "note.txt", "text/plain; charset=utf-8")]
    [InlineData("PK\x03\x04rest", "liste.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    public void Allowed_content_with_an_agreeing_extension_is_accepted(string head, string name, string expected)
    {
        Assert.Equal(expected, FileKind.Detect(Latin1(head), name)?.ContentType);
    }

    [Theory]
    [InlineData("MZ\x90\x00", "facture.pdf")]
    [InlineData("\x7f" + "ELF\x02\x01", "facture.pdf")]
    [InlineData("%PDF-1.7", "image.png")]
    [InlineData("\x89PNG\r\n\x1a\n", "a.pdf")]
    [InlineData("PK\x03\x04rest", "archive.zip")]
    [InlineData("PK\x03\x04rest", "script.odt")]
    [InlineData("MZ\x90\x00\x03\x00", "notes.txt")]
    [InlineData("<html>", "page.html")]
    public void Anything_else_is_refused(string head, string name)
    {
        Assert.Null(FileKind.Detect(Latin1(head), name));
    }

    [Fact]
    public void An_OpenDocument_file_must_declare_its_own_type()
    {
        var odt = Latin1("PK\x03\x04" + new string('\0', 26) + "mimetype" + "application/vnd.oasis.opendocument.text"
            + new string(' ', 60));
        Assert.Equal("application/vnd.oasis.opendocument.text", FileKind.Detect(odt, "rapport.odt")?.ContentType);
        Assert.Null(FileKind.Detect(odt, "rapport.ods"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\camille\\Attestation.pdf", "Attestation.pdf")]
    [InlineData("rapport\u0000\u001b.pdf", "rapport.pdf")]
    [InlineData("Déclaration des effectifs – 2026.xlsx", "Déclaration des effectifs – 2026.xlsx")]
    [InlineData("  ..  ", "document")]
    [InlineData("a\u202Efdp.exe", "afdp.exe")]
    public void File_names_are_cleaned_and_accents_kept(string raw, string expected)
    {
        Assert.Equal(expected, FileName.Clean(raw));
    }

    [Fact]
    public void Long_file_names_are_bounded_and_keep_their_extension()
    {
        var cleaned = FileName.Clean(new string('é', 400) + ".pdf");
        Assert.Equal(FileName.MaxLength, cleaned.Length);
        Assert.EndsWith(".pdf", cleaned);
    }

    [Fact]
    public async Task The_upload_stream_counts_hashes_and_stops_past_the_limit()
    {
        var body = new byte[1000];
        await using var fits =
            new UploadStream(body[..10], new MemoryStream(body[10..]), limit: 1000, validateUtf8: false);
        await fits.CopyToAsync(Stream.Null);
        Assert.Equal(1000, fits.BytesRead);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), fits.Sha256);

        await using var tooLarge =
            new UploadStream(body[..10], new MemoryStream(new byte[1000]), limit: 1000, validateUtf8: false);
        await Assert.ThrowsAsync<FileTooLargeException>(() => tooLarge.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task A_text_file_must_be_valid_UTF8_to_its_last_byte()
    {
        var valid = Encoding.UTF8.GetBytes("prénom;nom\n");
        await using var ok = new UploadStream(valid[..3], new MemoryStream(valid[3..]), 1000, validateUtf8: true);
        await ok.CopyToAsync(Stream.Null);

        byte[] truncated = [.. valid, 0xC3];
        await using var bad =
            new UploadStream(truncated[..3], new MemoryStream(truncated[3..]), 1000, validateUtf8: true);
        await Assert.ThrowsAsync<InvalidTextException>(() => bad.CopyToAsync(Stream.Null));
    }

    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);
}
