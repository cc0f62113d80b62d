namespace Portal.Contracts;

public sealed record TicketOpened(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    long Number,
    Guid CompanyId,
    string SubjectCode,
    Actor OpenedBy,
    Visibility Visibility) : IPortalEvent;
