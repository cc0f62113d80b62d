using CsCheck;
using Portal.Tickets.Model;
using Xunit;

namespace Portal.Tickets.Tests;

/// <summary>First-response targets in working days: Paris time, weekends and French public holidays excluded.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Theory]
    // Friday afternoon + 2 → Tuesday, same time (winter: UTC+1).
    [InlineData("2026-11-27T14:00:00Z", 2, "2026-12-01T14:00:00Z")]
    // Wednesday 23 December + 2: Christmas Friday is off → Monday 28.
    [InlineData("2026-12-23T09:30:00Z", 2, "2026-12-28T09:30:00Z")]
    // Thursday 2 April 2026 + 2: Friday 3, then Easter Monday 6 is off → Tuesday 7 (summer time: UTC+2).
    [InlineData("2026-04-02T08:00:00Z", 2, "2026-04-07T08:00:00Z")]
    // Opened on a Saturday: counted from Monday's midnight → Wednesday 00:00 Paris.
    [InlineData("2026-11-28T10:00:00Z", 2, "2026-12-01T23:00:00Z")]
    // Friday before the clocks change (29 March 2026): 10:00 Paris stays 10:00 Paris, an hour less in UTC.
    [InlineData("2026-03-27T09:00:00Z", 1, "2026-03-30T08:00:00Z")]
    // 1 May 2026 is a Friday, 8 May too: Thursday 30 April + 2 → Tuesday 5 May.
    [InlineData("2026-04-30T12:00:00Z", 2, "2026-05-05T12:00:00Z")]
    public void A_target_counts_working_days_in_Paris(string opened, int days, string due) =>
        Assert.Equal(DateTimeOffset.Parse(due), WorkingCalendar.AddWorkingDays(DateTimeOffset.Parse(opened), days));

    [Fact]
    public void Public_holidays_and_weekends_are_not_working_days()
    {
        foreach (var day in new[] { "2026-01-01", "2026-05-14", "2026-05-25", "2026-07-14", "2026-08-15",
                     "2026-11-01", "2026-11-11", "2026-12-25", "2026-11-28", "2026-11-29" })
            Assert.False(WorkingCalendar.IsWorkingDay(DateOnly.Parse(day)), day);
        Assert.True(WorkingCalendar.IsWorkingDay(new DateOnly(2026, 11, 30)));
    }

    [Fact]
    public void A_due_time_falls_on_a_working_day_after_exactly_that_many_working_days() =>
        Gen.Select(Gen.DateTime[new DateTime(2024, 1, 1), new DateTime(2032, 1, 1)], Gen.Int[0, 15])
            .Sample((opened, days) =>
            {
                var start = new DateTimeOffset(DateTime.SpecifyKind(opened, DateTimeKind.Utc));
                var due = WorkingCalendar.AddWorkingDays(start, days);
                var from = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, Paris).DateTime);
                var to = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(due, Paris).DateTime);
                Assert.True(due >= start);
                Assert.True(WorkingCalendar.IsWorkingDay(to));
                var between = 0;
                for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
                    between += WorkingCalendar.IsWorkingDay(day) ? 1 : 0;
                // From a day off, the count starts at the next working day, which counts as one more.
                Assert.Equal(days + (WorkingCalendar.IsWorkingDay(from) ? 0 : 1), between);
            });
}
