using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.ServiceDefaults;

/// <summary>
/// What Portal accepts as text from outside: any well-formed Unicode (emoji, combining marks,
/// noncharacters, right-to-left marks, digits of any script), but no lone surrogate (not Unicode
/// at all) and no NUL (PostgreSQL cannot store it). Anything else is refused with a 400, never
/// stored half-way.
/// </summary>
public static class UserText
{
    public const string RefusedMessage =
        "Le texte contient un caractère invalide (caractère nul ou suite Unicode mal formée).";

    public static bool IsAcceptable(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != System.Buffers.OperationStatus.Done
                || rune.Value == 0)
                return false;
            text = text[consumed..];
        }
        return true;
    }

    /// <summary>
    /// A raw query string (as sent, still percent-encoded) decodes to well-formed UTF-8 without NUL.
    /// ASP.NET Core's own decoding keeps an invalid sequence such as <c>%FF</c> as literal text, so
    /// this is checked on the raw form.
    /// </summary>
    public static bool IsWellFormedQuery(ReadOnlySpan<char> rawQuery)
    {
        Span<byte> bytes = rawQuery.Length <= 1024
            ? stackalloc byte[rawQuery.Length * 3]
            : new byte[rawQuery.Length * 3];
        var length = 0;
        for (var i = 0; i < rawQuery.Length; i++)
        {
            var c = rawQuery[i];
            if (c == '%' && i + 2 < rawQuery.Length
                && byte.TryParse(rawQuery.Slice(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier,
                    null, out var decoded))
            {
                bytes[length++] = decoded;
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[length++] = (byte)c;
            }
            else if (Rune.DecodeFromUtf16(rawQuery[i..], out var rune, out var consumed)
                == System.Buffers.OperationStatus.Done)
            {
                length += rune.EncodeToUtf8(bytes[length..]);
                i += consumed - 1;
            }
            else
            {
                return false;
            }
        }
        var utf8 = bytes[..length];
        return System.Text.Unicode.Utf8.IsValid(utf8) && !utf8.Contains((byte)0);
    }
}

/// <summary>
/// Every string of every JSON body passes <see cref="UserText.IsAcceptable"/>, or the body is refused as malformed.
/// </summary>
public sealed class UserTextJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is null || UserText.IsAcceptable(text) ? text : throw new JsonException(UserText.RefusedMessage);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
