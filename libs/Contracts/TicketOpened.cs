namespace Portal.Contracts;

/// <summary>A thread was created; <see cref="Title"/> is its subject's label, as shown to users.</summary>
[PublishedBy(Publishers.Tickets)]
public sealed record TicketOpened(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    long Number,
    Guid CompanyId,
    string SubjectCode,
    Actor OpenedBy,
    Visibility Visibility,
    string Title = "") : IPortalEvent;
