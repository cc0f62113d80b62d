using System.Globalization;

namespace Portal.Tickets;

/// <summary>
/// The system clock moved forward by the seconds written in a file (<c>Tickets:ClockFile</c>): the clock that the
/// browser tests control, to see a thread become late. Set only by the tests' AppHost; never in a real deployment.
/// </summary>
public sealed class ShiftedClock(string path) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset();

    private TimeSpan Offset()
    {
        try
        {
            return File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(),
                CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.Zero;
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
