using System.Diagnostics;

namespace Portal.ServiceDefaults;

/// <summary>
/// Background housekeeping (a poll, a periodic re-read) runs inside an unrecorded trace: every span
/// under it, in this process (PostgreSQL, HTTP) and in the services it calls (W3C's sampled flag is
/// off), is dropped, so an idle system records nothing. Work found inside starts spans of its own
/// with an explicit parent, the story it belongs to (<see cref="Story.StartInStory"/>).
/// </summary>
public static class Unrecorded
{
    public static IDisposable Begin(string what)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = new Activity(what);
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.None;
        activity.Start();
        return new Scope(activity, previous);
    }

    private sealed class Scope(Activity activity, Activity? previous) : IDisposable
    {
        public void Dispose()
        {
            activity.Stop();
            Activity.Current = previous;
        }
    }
}
