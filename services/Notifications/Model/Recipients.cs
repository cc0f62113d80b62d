using Portal.Contracts;

namespace Portal.Notifications.Model;

public sealed record DirectoryEntry(Guid UserId, string Email, string DisplayName, string Role, Guid? CompanyId);

/// <summary>Who may see a thread: its company, its access mode and list, its creator.</summary>
public sealed record ThreadAudience(
    Guid TicketId,
    long Number,
    string Title,
    Guid CompanyId,
    string Mode,
    IReadOnlyList<Guid> UserIds,
    Guid CreatorId);

public static class NotificationKinds
{
    public const string TicketOpened = "ticket_opened";
    public const string MessagePosted = "message_posted";
    public const string TicketClosed = "ticket_closed";
    public const string TicketAssigned = "ticket_assigned";
}

/// <summary>
/// docs/DESIGN.md's rule: when staff act, the members who may see the thread are told; when a member
/// acts, every staff user is. The author is never told of their own act.
/// </summary>
public static class Recipients
{
    /// <param name="directory">At least the thread company's members and every staff user.</param>
    public static IReadOnlyList<DirectoryEntry> Of(
        Actor author, ThreadAudience thread, IEnumerable<DirectoryEntry> directory) =>
        directory
            .Where(user => user.UserId != author.UserId)
            .Where(user => author.Side == Sides.Staff ? MaySee(user, thread) : user.Role == PortalClaims.StaffRole)
            .DistinctBy(user => user.UserId)
            .ToList();

    private static bool MaySee(DirectoryEntry user, ThreadAudience thread) =>
        user.Role == PortalClaims.MemberRole && user.CompanyId == thread.CompanyId
        && (thread.Mode == VisibilityModes.Company || user.UserId == thread.CreatorId
            || thread.UserIds.Contains(user.UserId));
}
