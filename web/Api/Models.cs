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
    string? Preview = null);

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
    IReadOnlyList<Note>? Notes = null)
{
    public bool IsOpen => Status == "open";
}

public sealed record AccessList(string Mode, IReadOnlyList<VisibilityUser> Users, Guid CreatorId);

public sealed record UploadedFile(Guid Id, string FileName, string ContentType, long Size);

public sealed record ContentWarning(string Kind, int Start, int Length, string Message);

public sealed record ContentCheck(IReadOnlyList<ContentWarning> Warnings);

public sealed record UnreadCount(long Count);
