namespace Portal.Contracts;

public sealed record MessagePosted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid MessageId,
    Guid CompanyId,
    Actor Author,
    bool RequiresReply,
    IReadOnlyList<Guid> AttachmentIds) : IPortalEvent;
