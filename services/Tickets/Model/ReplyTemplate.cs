using System.Text.RegularExpressions;

namespace Portal.Tickets.Model;

/// <summary>A team's ready-made answer, in French, with placeholders filled from the thread when it is used.</summary>
public sealed record ReplyTemplate(Guid Id, string Team, string Title, string Body);

public sealed record TemplateRequest(string? Team, string? Title, string? Body)
{
    public const int MaxTitleLength = 200;

    public IReadOnlyList<FieldError> Validate(Teams teams, int maxBodyLength)
    {
        var errors = new List<FieldError>();
        if (teams.Find(Team) is null)
            errors.Add(new("template.team_unknown", "team", "Choisissez l'équipe du modèle."));
        if (string.IsNullOrWhiteSpace(Title))
            errors.Add(new("template.title_required", "title", "Donnez un titre au modèle."));
        else if (Title.Length > MaxTitleLength)
            errors.Add(new("template.title_too_long", "title",
                $"Le titre ne peut pas dépasser {MaxTitleLength} caractères."));
        if (string.IsNullOrWhiteSpace(Body))
            errors.Add(new("template.body_required", "body", "Écrivez le texte du modèle."));
        else if (Body.Length > maxBodyLength)
            errors.Add(new("template.body_too_long", "body",
                $"Le texte ne peut pas dépasser {maxBodyLength} caractères."));
        return errors;
    }
}

/// <summary>What a template's placeholders stand for in one thread.</summary>
/// <param name="FirstName">The member's first name; <paramref name="LastName"/> their last name.</param>
public sealed record TemplateValues(string CompanyName, long Number, string FirstName, string LastName)
{
    /// <summary>
    /// Splits a directory name written « Prénom NOM » (the last name in capitals, as the directory writes it).
    /// </summary>
    public static (string FirstName, string LastName) SplitName(string displayName)
    {
        var words = displayName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var last = words.Reverse().TakeWhile(IsCapitals).Reverse().ToList();
        if (last.Count == words.Length && words.Length > 1)
            last = last.Skip(1).ToList();
        var first = words.Take(words.Length - last.Count);
        return (string.Join(' ', first), string.Join(' ', last));
    }

    private static bool IsCapitals(string word) =>
        word.Any(char.IsLetter) && word.Where(char.IsLetter).All(char.IsUpper);
}

public static partial class TemplatePlaceholders
{
    public static readonly IReadOnlyList<string> Names = ["entreprise", "numero", "prenom", "nom"];

    /// <summary>The body with every known placeholder filled in; unknown ones stay as written.</summary>
    public static string Fill(string body, TemplateValues values) =>
        Placeholder().Replace(body, match => match.Groups[1].Value switch
        {
            "entreprise" => values.CompanyName,
            "numero" => values.Number.ToString(),
            "prenom" => values.FirstName,
            "nom" => values.LastName,
            _ => match.Value,
        });

    [GeneratedRegex(@"\{\{\s*([a-z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
