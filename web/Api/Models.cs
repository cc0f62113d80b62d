namespace Portal.Web.Api;

public sealed record Me(Guid Id, string Email, string DisplayName, string Role, Guid? CompanyId, string? CompanyName)
{
    public bool IsStaff => Role == "staff";
}

public sealed record CodeLabel(string Code, string Label);

public sealed record Company(Guid Id, string Name);

public sealed record CompanyUser(Guid Id, string DisplayName, string Email, bool Active = true);

public sealed record TicketSummary(
    Guid Id,
    long Number,
    string Title,
    string SubjectCode,
    Guid CompanyId,
    string Status,
    bool ActionRequired,
    bool Unread,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    string? ClosedBy,
    string? Preview = null,
    Assignment? Assignment = null,
    DateTimeOffset? DueAt = null,
    bool Overdue = false,
    DateTimeOffset? FirstResponseAt = null);

/// <summary>Where the service routed a thread (staff only: the API gives it to staff alone).</summary>
public sealed record Assignment(string Team, Assignee? Assignee);

public sealed record Assignee(Guid Id, string DisplayName);

public sealed record Team(string Code, string Label, IReadOnlyList<string> SubjectCodes);

public sealed record StaffMember(Guid Id, string DisplayName, IReadOnlyList<string> Teams, bool Active = true);

/// <summary>The staff list's own filters: whose threads, which teams' (<c>mine</c>: the caller's), late ones.</summary>
public sealed record StaffListFilter(string? Assignee, string? Team, bool Overdue)
{
    public static readonly StaffListFilter None = new(null, null, false);
}

public sealed record ReplyTemplate(Guid Id, string Team, string Title, string Body);

public sealed record RenderedTemplate(string Body);

public sealed record TrailUser(Guid Id, string DisplayName, string Side);

/// <summary>One line of a thread's read trail (« Consultations »).</summary>
public sealed record TrailEntry(TrailUser User, string What, Guid? AttachmentId, DateTimeOffset At);

public sealed record TeamStats(
    string Team, long Open, long Unassigned, long Overdue, double? MedianFirstResponseMinutes,
    double? MedianResolutionMinutes);

public sealed record ServiceStats(int Days, IReadOnlyList<TeamStats> Teams);

public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, string? NextCursor);

public sealed record Author(Guid Id, string DisplayName, string Side);

public sealed record AttachmentInfo(Guid Id, string FileName, string ContentType, long Size);

public sealed record Message(
    Guid Id,
    Author Author,
    string Body,
    IReadOnlyList<AttachmentInfo> Attachments,
    bool RequiresReply,
    DateTimeOffset CreatedAt);

public sealed record NoteAuthor(Guid Id, string DisplayName);

/// <summary>An internal note: the service's alone (the API gives notes to staff only).</summary>
public sealed record Note(Guid Id, NoteAuthor Author, string Body, DateTimeOffset CreatedAt);

public sealed record VisibilityUser(Guid Id, string DisplayName, bool Active = true)
{
    /// <summary>
    /// The name as lists show it: « (moi) » for the reader, « (inactif) » for a deactivated account.
    /// </summary>
    public string Label(Guid me) => DisplayName + (Id == me ? " (moi)" : "") + (Active ? "" : " (inactif)");
}

public sealed record VisibilityInfo(string Mode, IReadOnlyList<VisibilityUser> Users, Guid CreatorId);

public sealed record Closure(string Reason, string Message, Author By, DateTimeOffset At);

public sealed record ThreadDetail(
    Guid Id,
    long Number,
    string Title,
    string SubjectCode,
    Guid CompanyId,
    string Status,
    bool ActionRequired,
    bool Unread,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    string? ClosedBy,
    IReadOnlyList<Message> Messages,
    Closure? Closure,
    VisibilityInfo Visibility,
    bool CanReply,
    bool CanClose,
    bool CanReopen,
    string? EarlierCursor = null,
    IReadOnlyList<Note>? Notes = null,
    Assignment? Assignment = null,
    DateTimeOffset? DueAt = null,
    bool Overdue = false,
    DateTimeOffset? FirstResponseAt = null)
{
    public bool IsOpen => Status == "open";
}

public sealed record AccessList(string Mode, IReadOnlyList<VisibilityUser> Users, Guid CreatorId);

public sealed record UploadedFile(Guid Id, string FileName, string ContentType, long Size);

public sealed record ContentWarning(string Kind, int Start, int Length, string Message);

public sealed record ContentCheck(IReadOnlyList<ContentWarning> Warnings);

public sealed record UnreadCount(long Count);
