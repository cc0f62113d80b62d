using System.Globalization;
using System.Text;

namespace Portal.Attachments.Model;

/// <summary>A client's file name made safe to store and show: no path, no control characters, bounded, accents kept.</summary>
public static class FileName
{
    public const int MaxLength = 150;

    public static string Clean(string? raw)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var builder = new StringBuilder(name.Length);
        foreach (var rune in name.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                continue;
            builder.Append(rune.ToString());
        }
        name = builder.ToString().Trim().Trim('.').Trim();
        if (name.Length == 0)
            name = "document";
        if (name.Length > MaxLength)
        {
            var extension = Path.GetExtension(name);
            extension = extension.Length <= 10 ? extension : "";
            name = name[..(MaxLength - extension.Length)].TrimEnd() + extension;
        }
        return name;
    }
}
