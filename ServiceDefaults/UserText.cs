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
    public const string RefusedMessage = "Le texte contient un caractère invalide (caractère nul ou suite Unicode mal formée).";

    public static bool IsAcceptable(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || rune.Value == 0)
                return false;
            text = text[consumed..];
        }
        return true;
    }
}

/// <summary>Every string of every JSON body passes <see cref="UserText.IsAcceptable"/>, or the body is refused as malformed.</summary>
public sealed class UserTextJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is null || UserText.IsAcceptable(text) ? text : throw new JsonException(UserText.RefusedMessage);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
