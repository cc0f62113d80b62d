using System.Text;
using CsCheck;
using Microsoft.Extensions.Hosting;
using Portal.Testing;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>
/// Every function that takes people's text, over any text: no exception, and answers that stay true around emoji.
/// </summary>
public sealed class UserTextPropertyTests
{
    private const string NirText = "1 85 07 75 123 456 08";

    [Fact]
    public void Only_lone_surrogates_and_NUL_are_refused() =>
        Texts.Any.Sample(text =>
            Assert.Equal(IsStrictUtf16(text) && !text.Contains('\0'), UserText.IsAcceptable(text)));

    [Fact]
    public void A_query_string_is_well_formed_exactly_when_its_text_is_acceptable() =>
        Texts.WellFormed.Sample(text =>
        {
            Assert.Equal(!text.Contains('\0'), UserText.IsWellFormedQuery("?q=" + Uri.EscapeDataString(text)));
            // As a client that does not encode what it need not: the raw text itself.
            Assert.Equal(!text.Contains('\0'), UserText.IsWellFormedQuery("?q=" + text.Replace("%", "%25")));
        });

    [Theory]
    [InlineData("?q=%FF")]
    [InlineData("?q=%ED%A0%80")]
    [InlineData("?q=%C0%AF")]
    [InlineData("?q=%F0%9F%99")]
    [InlineData("?q=Mer%00ci")]
    public void A_query_string_that_decodes_to_ill_formed_UTF8_or_NUL_is_refused(string query) =>
        Assert.False(UserText.IsWellFormedQuery(query));

    [Fact]
    public void The_content_check_never_fails_and_every_warning_covers_whole_code_points() =>
        Texts.Any.Sample(text =>
        {
            foreach (var warning in SensitiveContent.Find(text))
            {
                Assert.InRange(warning.Start, 0, text.Length);
                Assert.InRange(warning.Start + warning.Length, warning.Start + 1, text.Length);
                Assert.False(SplitsAPair(text, warning.Start), $"starts inside a pair: {warning}");
                Assert.False(SplitsAPair(text, warning.Start + warning.Length), $"ends inside a pair: {warning}");
            }
        });

    [Fact]
    public void A_warning_points_at_its_words_whatever_comes_before_them() =>
        Texts.WellFormed.Sample(prefix =>
        {
            var text = prefix + " : " + NirText + ".";
            var nir = SensitiveContent.Find(text).Where(w => w.Kind == SensitiveContent.Nir).ToList();
            Assert.Contains(nir, w => w.Start == prefix.Length + 3 && text.Substring(w.Start, w.Length) == NirText);
        });

    [Fact]
    public void Emoji_before_a_NIR_move_it_by_their_length()
    {
        var text = "Merci 🙂🙂 : " + NirText;
        var warning = Assert.Single(SensitiveContent.Find(text));
        Assert.Equal(NirText, text.Substring(warning.Start, warning.Length));
    }

    [Fact]
    public void Validating_a_thread_a_message_or_a_closure_never_fails_on_any_text() =>
        Texts.Any.Sample(text =>
        {
            new NewTicket("autre", text, [], new VisibilityRequest("company", []), null)
                .Validate(byStaff: false, maxBodyLength: 50);
            new NewMessage(text, []).Validate(maxBodyLength: 50);
            new CloseRequest("resolved", text).Validate(byStaff: false, maxBodyLength: 50);
        });

    private static bool SplitsAPair(string text, int index) =>
        index > 0 && index < text.Length && char.IsHighSurrogate(text[index - 1]) && char.IsLowSurrogate(text[index]);

    private static bool IsStrictUtf16(string text)
    {
        try
        {
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
