using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Portal.Testing;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>A list row's preview of the latest message, over any text a person may write.</summary>
public sealed class MessagePreviewTests
{
    // Long enough to be cut, often: several texts of up to 60 pieces each.
    private static readonly Gen<string> Bodies = Texts.WellFormed.Array[1, 8].Select(string.Concat);

    [Fact]
    public void A_preview_is_one_line_of_at_most_140_characters_cut_between_two_characters() =>
        Bodies.Sample(body =>
        {
            var preview = MessagePreview.Of(body);
            var words = Regex.Replace(body, @"[\s\p{Cc}]+", " ").Trim();
            Assert.True(preview.Length <= MessagePreview.MaxLength, preview);
            Assert.DoesNotContain(preview.EnumerateRunes(), r => Rune.IsControl(r));
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(preview);
            if (words.Length <= MessagePreview.MaxLength)
            {
                Assert.Equal(words, preview);
                return;
            }
            Assert.EndsWith("…", preview, StringComparison.Ordinal);
            var kept = preview[..^1];
            Assert.StartsWith(kept, words, StringComparison.Ordinal);
            // Never inside an emoji, nor between a letter and its accent.
            Assert.Contains(kept.TrimEnd().Length, TextElementBoundaries(words));
        });

    [Fact]
    public void A_preview_shows_the_start_of_the_message_on_one_line()
    {
        Assert.Equal("Bonjour, la visite de reprise est fixée au 3 mars.",
            MessagePreview.Of("  Bonjour,\n\n\tla visite de reprise\r\nest fixée au 3 mars.  "));
        var preview = MessagePreview.Of(string.Concat(Enumerable.Repeat("Réf. 👩‍👩‍👧 é ", 20)));
        Assert.InRange(preview.Length, MessagePreview.MaxLength - 10, MessagePreview.MaxLength);
        Assert.EndsWith("…", preview, StringComparison.Ordinal);
        // Not inside the family emoji (its pieces join with ZWJ, which a culture's comparison ignores).
        Assert.DoesNotContain("\u200D…", preview, StringComparison.Ordinal);
    }

    private static IEnumerable<int> TextElementBoundaries(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
            yield return elements.ElementIndex;
        yield return text.Length;
    }
}
