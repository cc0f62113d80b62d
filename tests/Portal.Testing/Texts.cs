using CsCheck;

namespace Portal.Testing;

/// <summary>
/// Texts as people and programs really send them, for property-based tests: ASCII and accents,
/// emoji and other supplementary characters, combining marks, noncharacters, right-to-left and
/// other format marks, digits of other scripts; <see cref="Any"/> adds what is not Unicode at all
/// (lone surrogates) and NUL.
/// </summary>
public static class Texts
{
    private static readonly Gen<string> Ascii = Gen.Char[' ', '~'].Select(c => c.ToString());
    private static readonly Gen<string> Accented = Gen.Char["éèêëàâçùûôîïÉÈÀÇœŒæß"].Select(c => c.ToString());
    private static readonly Gen<string> Emoji = Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32);
    private static readonly Gen<string> Supplementary = Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32);
    private static readonly Gen<string> Combining = Gen.Char['\u0300', '\u036F'].Select(c => c.ToString());
    private static readonly Gen<string> Marks =
        Gen.Char["\uFFFE\uFFFF\uFDD0\u200B\u200E\u200F\u202E\u2066\uFEFF\t\n\r"].Select(c => c.ToString());
    private static readonly Gen<string> OtherDigits =
        Gen.Char["٠١٢٣٤٥٦٧٨٩۰۱۲०१२३४५६७८९０１２３৪"].Select(c => c.ToString());
    private static readonly Gen<string> LoneSurrogate = Gen.Char['\uD800', '\uDFFF'].Select(c => c.ToString());

    /// <summary>Any well-formed Unicode text without NUL: what Portal must accept.</summary>
    public static readonly Gen<string> WellFormed = Gen.Frequency(
            (8, Ascii), (3, Accented), (2, Emoji), (1, Supplementary), (1, Combining), (1, Marks), (1, OtherDigits))
        .Array[0, 60].Select(string.Concat);

    /// <summary>Anything a client can put in a string, ill-formed included.</summary>
    public static readonly Gen<string> Any = Gen.Frequency(
            (8, Ascii), (3, Accented), (2, Emoji), (1, Supplementary), (1, Combining), (1, Marks), (1, OtherDigits),
            (1, LoneSurrogate), (1, Gen.Const("\0")))
        .Array[0, 60].Select(string.Concat);
}
