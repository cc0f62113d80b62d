using Portal.Contracts;

namespace Portal.Tickets.Model;

/// <summary>The rules that derive a thread's flags from its messages, for one reader.</summary>
public static class TicketState
{
    /// <summary>
    /// Member side: the latest staff message requires a reply and no member has written since.
    /// Staff side: the thread is open and its latest message comes from a member.
    /// </summary>
    public static bool ActionRequired(bool open, IReadOnlyList<ThreadMessage> messagesOldestFirst, string readerSide)
    {
        if (!open || messagesOldestFirst.Count == 0)
            return false;
        var latest = messagesOldestFirst[^1];
        return readerSide == Sides.Staff
            ? latest.AuthorSide == Sides.Member
            : latest.AuthorSide == Sides.Staff && latest.RequiresReply;
    }

    /// <summary>Unread while the other side has written after the reader last read the thread.</summary>
    public static bool Unread(IReadOnlyList<ThreadMessage> messages, string readerSide, DateTime? readAt) =>
        messages.Any(m => m.AuthorSide != readerSide && (readAt is null || m.CreatedAt > readAt));
}
