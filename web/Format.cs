using System.Globalization;

namespace Portal.Web;

/// <summary>Dates as the users read them: in French, in Paris time.</summary>
public static class Format
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Paris).ToString("d MMMM yyyy", French);

    public static string DateTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Paris).ToString("d MMMM yyyy 'à' HH:mm", French);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} o",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} Ko".Replace('.', ','),
        _ => $"{bytes / 1048576.0:0.#} Mo".Replace('.', ','),
    };
}
