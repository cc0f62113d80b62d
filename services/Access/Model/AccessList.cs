using Portal.Contracts;

namespace Portal.Access.Model;

/// <summary>
/// Who may see one thread. Company mode: every current and future user of the thread's company;
/// restricted: the listed users. The creator is always listed; staff always see every thread.
/// </summary>
public sealed record AccessList(
    Guid TicketId,
    Guid CompanyId,
    Guid CreatorId,
    string Mode,
    IReadOnlyList<Guid> UserIds,
    long Version)
{
    public bool CanSee(PortalUser viewer) =>
        viewer.IsStaff
        || (viewer.CompanyId == CompanyId
            && (Mode == VisibilityModes.Company || viewer.UserId == CreatorId || UserIds.Contains(viewer.UserId)));

    /// <summary>The list a thread starts with (version 1).</summary>
    public static AccessList Initial(
        Guid ticketId, Guid companyId, Guid creatorId, bool creatorIsMember, string mode, IEnumerable<Guid> userIds) =>
        new(ticketId, companyId, creatorId, mode, Normalize(mode, userIds, creatorId, creatorIsMember), 1);

    /// <summary>The next version with another mode and users; the creator stays in whatever is asked.</summary>
    public AccessList ChangedTo(string mode, IEnumerable<Guid> userIds, bool creatorIsMember) =>
        this with
        {
            Mode = mode,
            UserIds = Normalize(mode, userIds, CreatorId, creatorIsMember),
            Version = Version + 1
        };

    /// <summary>Same thread, company, creator, mode, users and version (records compare lists by reference).</summary>
    public bool IsSameAs(AccessList other) =>
        this with { UserIds = other.UserIds } == other && UserIds.SequenceEqual(other.UserIds);

    // In company mode the explicit list means nothing: only the creator is kept, so that switching
    // back to restricted starts from a list that cannot have gone stale.
    private static List<Guid> Normalize(string mode, IEnumerable<Guid> userIds, Guid creatorId, bool creatorIsMember)
    {
        var list = mode == VisibilityModes.Company ? [] : userIds.Where(id => id != creatorId).Distinct().ToList();
        if (creatorIsMember)
            list.Insert(0, creatorId);
        return list;
    }
}
