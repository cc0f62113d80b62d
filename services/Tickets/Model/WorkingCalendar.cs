using PublicHoliday;

namespace Portal.Tickets.Model;

/// <summary>Each subject's first-response target, in working days (section <c>Tickets:ServiceLevels</c>).</summary>
public sealed class ServiceLevelOptions
{
    public int FirstResponseWorkingDays { get; set; } = 2;

    /// <summary>Targets that differ from <see cref="FirstResponseWorkingDays"/>, by subject code.</summary>
    public Dictionary<string, int> BySubject { get; set; } = [];

    public int TargetOf(string subjectCode) =>
        BySubject.TryGetValue(subjectCode, out var days) ? days : FirstResponseWorkingDays;
}

/// <summary>
/// The service's working days: Monday to Friday in Paris, French public holidays excluded.
/// </summary>
public static class WorkingCalendar
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly FrancePublicHoliday Holidays = new();

    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !Holidays.IsPublicHoliday(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>
    /// <paramref name="days"/> working days after <paramref name="start"/>, at the same time of day in Paris. Asked
    /// on a day off, the count starts at the next working day's midnight (work could not begin before).
    /// </summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = TimeZoneInfo.ConvertTime(start, Paris).DateTime;
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (!IsWorkingDay(day))
        {
            time = TimeOnly.MinValue;
            while (!IsWorkingDay(day))
                day = day.AddDays(1);
        }
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
                added++;
        }
        return ToUtc(day.ToDateTime(time));
    }

    // A time that the clocks skip in spring is taken an hour later; an ambiguous one in autumn as its first instance.
    private static DateTimeOffset ToUtc(DateTime local)
    {
        if (Paris.IsInvalidTime(local))
            local = local.AddHours(1);
        var offset = Paris.IsAmbiguousTime(local)
            ? Paris.GetAmbiguousTimeOffsets(local).Max()
            : Paris.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
