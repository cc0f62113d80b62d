using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Tickets.Model;

public sealed record ContentWarning(string Kind, int Start, int Length, string Message);

/// <summary>
/// What in a member's text looks like personal or medical data, so that the form can warn before
/// it is sent: a French social security number (NIR) whose control key is right, a date of birth,
/// words of diagnosis, treatment or sick leave. The service's own vocabulary (« visite médicale »,
/// « médecin du travail ») is not a member's medical data and is not flagged.
/// </summary>
public static partial class SensitiveContent
{
    public const string Nir = "nir";
    public const string BirthDate = "birth_date";
    public const string Medical = "medical";

    // Searched in a copy without accents and in lower case, of the same length, so positions map back as they are.
    private static readonly string[] MedicalTerms =
    [
        "arret maladie", "arret-maladie", "arret de travail", "arrets de travail", "conge maladie", "conge de maladie",
        "diagnostic", "diagnostique", "diagnostiquee", "diagnostiques", "traitement", "traitements", "ordonnance",
        "medicament", "medicaments", "antidepresseur", "antidepresseurs", "depression", "burn-out", "burnout", "cancer",
        "diabete", "diabetique", "chimiotherapie", "radiotherapie", "hospitalise", "hospitalisee", "hospitalisation",
        "pathologie", "grossesse", "enceinte", "handicap", "maladie chronique", "therapie", "psychiatre",
        "psychiatrique", "seropositif", "seropositive", "vih", "epilepsie", "asthme",
        "hernie discale", "lombalgie", "operation chirurgicale", "chirurgie",
    ];

    // [0-9], not \d: a NIR is written in ASCII digits, and \d would also take digits of other scripts that no number
    // parser reads.
    [GeneratedRegex(@"(?<![0-9A-Za-z])([1-478])[ .]?([0-9]{2})[ .]?([0-9]{2})[ .]?([0-9]{2}|2[ABab])[ .]?"
        + @"([0-9]{3})[ .]?([0-9]{3})[ .]?([0-9]{2})(?![0-9A-Za-z])")]
    private static partial Regex NirPattern();

    [GeneratedRegex(@"\b(nee?|ne\(e\)|date de naissance|naissance|ddn)\b\s*(le|:|en)?\s*"
        + @"([0-9]{1,2}[/.\-][0-9]{1,2}[/.\-]([0-9]{4}|[0-9]{2})"
        + @"|[0-9]{1,2}(er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
        + @"\s+[0-9]{4})")]
    private static partial Regex BirthDatePattern();

    public static IReadOnlyList<ContentWarning> Find(string text)
    {
        var plain = Fold(text);
        var warnings = new List<ContentWarning>();

        foreach (Match match in NirPattern().Matches(plain))
        {
            if (IsNir(match))
                warnings.Add(new(Nir, match.Index, match.Length,
                    "Ceci ressemble à un numéro de sécurité sociale : ne le transmettez pas par ce canal."));
        }
        foreach (Match match in BirthDatePattern().Matches(plain))
        {
            var date = match.Groups[3];
            warnings.Add(new(BirthDate, date.Index, date.Length,
                "Ceci ressemble à une date de naissance : est-elle nécessaire à votre demande ?"));
        }
        foreach (var term in MedicalTerms)
        {
            for (var at = plain.IndexOf(term, StringComparison.Ordinal);
                at >= 0;
                at = plain.IndexOf(term, at + term.Length, StringComparison.Ordinal))
            {
                if (IsWordAt(plain, at, term.Length)
                    && !warnings.Any(w => w.Kind == Medical && at >= w.Start && at < w.Start + w.Length))
                    warnings.Add(new(Medical, at, term.Length,
                        "Ce terme relève d'informations médicales (diagnostic, traitement, arrêt de travail) : "
                            + "ne les partagez pas ici."));
            }
        }
        return warnings.OrderBy(w => w.Start).ToList();
    }

    /// <summary>
    /// The key is 97 minus the first 13 digits modulo 97 (Corsica's 2A and 2B count as 19 and 18); the month is a real
    /// one or an allowed code.
    /// </summary>
    private static bool IsNir(Match match)
    {
        var month = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
        if (month is < 1 or (> 12 and < 20) or (> 42 and < 50))
            return false;
        var department = match.Groups[4].Value.ToUpperInvariant() switch { "2A" => "19", "2B" => "18", var d => d };
        var number = long.Parse(match.Groups[1].Value + match.Groups[2].Value + match.Groups[3].Value + department
            + match.Groups[5].Value + match.Groups[6].Value,
            CultureInfo.InvariantCulture);
        var key = int.Parse(match.Groups[7].Value, CultureInfo.InvariantCulture);
        return key == 97 - number % 97;
    }

    private static bool IsWordAt(string text, int start, int length) =>
        (start == 0 || !char.IsLetterOrDigit(text[start - 1]))
        && (start + length == text.Length || !char.IsLetterOrDigit(text[start + length]));

    /// <summary>
    /// Lower case without accents, read by code point, each one keeping its UTF-16 length: « Arrêt »
    /// becomes « arret », an emoji stays two units, so positions in the copy are positions in the text
    /// (in UTF-16 code units, as JavaScript and .NET index strings).
    /// </summary>
    private static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && Rune.IsLetter(rune))
                folded.Append(char.ToLowerInvariant(rune.ToString().Normalize(NormalizationForm.FormD)[0]));
            else
                folded.Append(rune.ToString());
        }
        return folded.ToString();
    }
}
