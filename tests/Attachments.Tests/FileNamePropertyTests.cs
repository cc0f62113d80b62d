using System.Globalization;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Hosting;
using Portal.Attachments.Model;
using Portal.Testing;
using Xunit;

namespace Portal.Attachments.Tests;

/// <summary>
/// Whatever name a client sends, the stored one is well-formed, short, without path or control characters.
/// </summary>
public sealed class FileNamePropertyTests
{
    [Fact]
    public void A_cleaned_name_is_always_storable_short_and_without_path_or_control_characters() =>
        Texts.Any.Sample(raw =>
        {
            var name = FileName.Clean(raw);
            Assert.True(UserText.IsAcceptable(name), "ill-formed");
            Assert.InRange(name.Length, 1, FileName.MaxLength);
            Assert.DoesNotContain('/', name);
            Assert.DoesNotContain('\\', name);
            Assert.All(name.EnumerateRunes(),
                rune => Assert.NotEqual(UnicodeCategory.Control, Rune.GetUnicodeCategory(rune)));
            Assert.Equal(name.Normalize(NormalizationForm.FormC), name);
        });

    [Fact]
    public void A_long_name_of_emoji_is_cut_between_code_points_and_keeps_its_extension()
    {
        var name = FileName.Clean(string.Concat(Enumerable.Repeat("🙂", 200)) + ".pdf");
        Assert.EndsWith(".pdf", name);
        Assert.True(UserText.IsAcceptable(name));
    }
}
