using System.Text;

namespace Portal.Attachments.Model;

/// <summary>
/// The allow-list, decided by the first bytes of the content and the file's extension together:
/// a file is accepted only when what it is agrees with what its name says.
/// </summary>
public sealed record FileKind(string ContentType, bool IsText)
{
    public const int SniffLength = 128;

    private static readonly FileKind Pdf = new("application/pdf", false);
    private static readonly FileKind Png = new("image/png", false);
    private static readonly FileKind Jpeg = new("image/jpeg", false);
    private static readonly FileKind PlainText = new("text/plain; charset=utf-8", true);
    private static readonly FileKind Csv = new("text/csv; charset=utf-8", true);

    private static readonly Dictionary<string, string> OfficeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".ods"] = "application/vnd.oasis.opendocument.spreadsheet",
        [".odp"] = "application/vnd.oasis.opendocument.presentation",
    };

    /// <summary>The kind of a file from its first bytes and its name, or null when it is not allowed.</summary>
    public static FileKind? Detect(ReadOnlySpan<byte> head, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (head.StartsWith("%PDF-"u8))
            return extension == ".pdf" ? Pdf : null;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return extension == ".png" ? Png : null;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return extension is ".jpg" or ".jpeg" ? Jpeg : null;
        if (head.StartsWith("PK\x03\x04"u8))
            return OfficeKind(head, extension);
        // Text has no signature: it must say so by its name, and every byte is then checked as UTF-8.
        if (extension is ".txt" or ".csv" && !head.Contains((byte)0) && !LooksBinary(head))
            return extension == ".csv" ? Csv : PlainText;
        return null;
    }

    private static FileKind? OfficeKind(ReadOnlySpan<byte> head, string extension)
    {
        if (!OfficeTypes.TryGetValue(extension, out var contentType))
            return null;
        // An OpenDocument file starts with an uncompressed "mimetype" entry that names its type.
        if (extension.StartsWith(".od", StringComparison.Ordinal)
            && (head.Length < 38 + contentType.Length
                || !head[30..38].SequenceEqual("mimetype"u8)
                || Encoding.ASCII.GetString(head.Slice(38, contentType.Length)) != contentType))
            return null;
        return new FileKind(contentType, false);
    }

    // Executables and other binaries carry control bytes that text does not.
    private static bool LooksBinary(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B))
                return true;
        }
        return false;
    }
}
