using Portal.Contracts;

namespace Portal.Attachments.Model;

/// <summary>A message Tickets has just accepted: its files, and the thread's list as Tickets knows it.</summary>
public sealed record AttachmentBinding(
    Guid TicketId,
    Guid MessageId,
    Guid AuthorId,
    IReadOnlyList<Guid> AttachmentIds,
    TicketAccessChanged Access);
