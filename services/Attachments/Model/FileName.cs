using System.Globalization;
using System.Text;

namespace Portal.Attachments.Model;

/// <summary>
/// A client's file name made safe to store and show: no path, no control characters, bounded, accents kept.
/// </summary>
public static class FileName
{
    public const int MaxLength = 150;

    public static string Clean(string? raw)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(name.Length);
        // Read by code point (a lone surrogate reads as U+FFFD), and composed only once well-formed.
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned)
                continue;
            builder.Append(rune.ToString());
        }
        name = builder.ToString().Normalize(NormalizationForm.FormC).Trim().Trim('.').Trim();
        if (name.Length == 0)
            name = "document";
        if (name.Length > MaxLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length <= 10 ? extension : "";
            var cut = MaxLength - extension.Length;
            if (char.IsHighSurrogate(name[cut - 1]))
                cut--;
            name = name[..cut].TrimEnd() + extension;
        }
        return name;
    }
}
