using System.Diagnostics.Metrics;
using Portal.Tickets.Data;

namespace Portal.Tickets;

/// <summary>What Tickets counts: threads opened and replies posted, by the side of their author.</summary>
internal static class Telemetry
{
    private static readonly Meter Meter = new("Portal.Tickets");

    public static readonly Counter<long> ThreadsOpened = Meter.CreateCounter<long>(
        "portal.threads.opened", "{thread}",
        "Threads opened, by the side of who opened them (portal.side: member or staff).");

    public static readonly Counter<long> MessagesPosted = Meter.CreateCounter<long>(
        "portal.messages.posted", "{message}",
        "Replies posted in a thread (its opening message is counted by portal.threads.opened), by side.");

    public static KeyValuePair<string, object?> Side(PortalUser author) =>
        new("portal.side", author.IsStaff ? "staff" : "member");
}
