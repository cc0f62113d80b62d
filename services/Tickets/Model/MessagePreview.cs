using System.Globalization;
using System.Text;

namespace Portal.Tickets.Model;

/// <summary>
/// The start of a message as a list row shows it: its words on one line, at most <see cref="MaxLength"/>
/// characters, cut between two user-perceived characters (never inside an emoji or before an accent's mark).
/// </summary>
public static class MessagePreview
{
    public const int MaxLength = 140;

    /// <summary>How much of a body a preview needs: whitespace collapses, so more than it shows.</summary>
    public const int BodyPrefix = 400;

    private const string Ellipsis = "…";

    public static string Of(string body)
    {
        var line = new StringBuilder(Math.Min(body.Length, BodyPrefix));
        Span<char> units = stackalloc char[2];
        var space = false;
        foreach (var rune in body.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                space = line.Length > 0;
                continue;
            }
            if (space)
                line.Append(' ');
            space = false;
            line.Append(units[..rune.EncodeToUtf16(units)]);
        }
        if (line.Length <= MaxLength)
            return line.ToString();

        var text = line.ToString();
        var end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxLength - 1)
            end = elements.ElementIndex + elements.GetTextElement().Length;
        return text[..end].TrimEnd() + Ellipsis;
    }
}
