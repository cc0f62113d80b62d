using System.Globalization;

namespace Portal.Web;

/// <summary>Dates, sizes and waits as the users read them: in French, in Paris time.</summary>
public static class Format
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Date(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Paris).ToString("d MMMM yyyy", French);

    public static string DateTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Paris).ToString("d MMMM yyyy 'à' HH:mm", French);

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} o",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} Ko".Replace('.', ','),
        _ => $"{bytes / 1048576.0:0.#} Mo".Replace('.', ','),
    };

    /// <summary>A wait, rounded up: « 40 secondes », « 1 minute », « 5 minutes ».</summary>
    public static string Wait(TimeSpan wait)
    {
        if (wait.TotalSeconds < 60)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return seconds == 1 ? "1 seconde" : $"{seconds} secondes";
        }
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
