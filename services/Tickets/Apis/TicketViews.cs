using System.Text.Json.Serialization;
using Portal.Contracts;
using Portal.Tickets.Data;
using Portal.Tickets.Model;

namespace Portal.Tickets.Apis;

public sealed record AuthorView(Guid Id, string DisplayName, string Side);

public sealed record AttachmentView(Guid Id, string FileName, string ContentType, long Size);

public sealed record MessageView(
    Guid Id,
    AuthorView Author,
    string Body,
    IReadOnlyList<AttachmentView> Attachments,
    bool RequiresReply,
    DateTime CreatedAt)
{
    public static MessageView From(ThreadMessage m) => new(
        m.Id, new AuthorView(m.AuthorId, m.AuthorName, m.AuthorSide), m.Body,
        m.Attachments.Select(a => new AttachmentView(a.Id, a.FileName, a.ContentType, a.Size)).ToList(),
        m.RequiresReply, m.CreatedAt);
}

public sealed record NoteAuthorView(Guid Id, string DisplayName);

public sealed record NoteView(Guid Id, NoteAuthorView Author, string Body, DateTime CreatedAt)
{
    public static NoteView From(InternalNote note) =>
        new(note.Id, new NoteAuthorView(note.AuthorId, note.AuthorName), note.Body, note.CreatedAt);
}

public sealed record AssigneeView(Guid Id, string DisplayName);

/// <summary>Where a thread is routed: its team and, once someone took it, that staff member.</summary>
public sealed record AssignmentView(string Team, AssigneeView? Assignee)
{
    public static AssignmentView Of(string team, Guid? assigneeId, string? assigneeName) =>
        new(team, assigneeId is { } id ? new AssigneeView(id, assigneeName ?? "") : null);
}

public sealed record VisibilityUserView(Guid Id, string DisplayName, bool Active = true);

public sealed record VisibilityView(string Mode, IReadOnlyList<VisibilityUserView> Users, Guid CreatorId);

public sealed record ClosureView(string Reason, string Message, AuthorView By, DateTime At);

public sealed record ThreadView(
    Guid Id,
    long Number,
    string Title,
    string SubjectCode,
    Guid CompanyId,
    string Status,
    bool ActionRequired,
    bool Unread,
    DateTime CreatedAt,
    DateTime LastActivityAt,
    string? ClosedBy,
    IReadOnlyList<MessageView> Messages,
    ClosureView? Closure,
    VisibilityView Visibility,
    bool CanReply,
    bool CanClose,
    bool CanReopen,
    string? EarlierCursor,
    string Preview,
    // Staff only: absent, not empty, for a member.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<NoteView>? Notes,
    [property: JsonIgnore] bool ForStaff,
    [property: StaffOnly] AssignmentView Assignment,
    [property: StaffOnly] DateTime? DueAt,
    [property: StaffOnly] bool Overdue,
    [property: StaffOnly] DateTime? FirstResponseAt) : IReaderAware
{
    public static ThreadView From(TicketDetail detail, PortalUser reader, AccessListView? access)
    {
        var ticket = detail.Ticket;
        var open = ticket.Status == "open";
        var messages = detail.Messages.Select(MessageView.From).ToList();
        var visibility = access is not null
            ? new VisibilityView(access.Mode,
                access.Users.Select(u => new VisibilityUserView(u.Id, u.DisplayName, u.Active)).ToList(),
                access.CreatorId)
            : new VisibilityView(detail.Access.Mode, [], detail.Access.CreatorId);
        return new ThreadView(
            ticket.Id, ticket.Number, ticket.Title, ticket.SubjectCode, ticket.CompanyId, ticket.Status,
            detail.ActionRequired,
            detail.Unread,
            ticket.CreatedAt, ticket.LastActivityAt, open ? null : ticket.ClosedBySide,
            messages,
            open ? null : new ClosureView(ticket.ClosureReason!, ticket.ClosureMessage ?? "",
                new AuthorView(ticket.ClosedBy!.Value, ticket.ClosedByName ?? "", ticket.ClosedBySide!),
                ticket.ClosedAt!.Value),
            visibility,
            CanReply: open,
            CanClose: TicketLifecycle.Close(ticket.Lifecycle, reader.UserId, reader.IsStaff) == Transition.Allowed,
            CanReopen: TicketLifecycle.Reopen(ticket.Lifecycle, reader.UserId, reader.IsStaff) == Transition.Allowed,
            detail.EarlierCursor,
            MessagePreview.Of(detail.Messages[^1].Body),
            detail.Notes?.Select(NoteView.From).ToList(),
            reader.IsStaff,
            AssignmentView.Of(ticket.Team, ticket.AssigneeId, ticket.AssigneeName),
            ticket.DueAt,
            detail.Overdue,
            ticket.FirstResponseAt);
    }
}
