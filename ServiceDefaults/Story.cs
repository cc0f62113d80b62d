using System.Diagnostics;

namespace Portal.ServiceDefaults;

/// <summary>
/// Work done later (an event published, a notification pushed, an e-mail sent) is recorded in the
/// trace of the request or message that caused it: its W3C context is stored with the work, and the
/// span that does it starts from there.
/// </summary>
public static class Story
{
    /// <summary>The current trace's W3C context (<c>traceparent</c>), to store with work done later.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A span in the story stored as <paramref name="traceParent"/>; none when there is no story.</summary>
    public static Activity? StartInStory(
        this ActivitySource source, string name, ActivityKind kind, string? traceParent, string? traceState = null) =>
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var story)
            ? source.StartActivity(name, kind, story)
            : null;
}
