namespace Portal.Contracts;

[PublishedBy(Publishers.Tickets)]
public sealed record TicketReopened(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid CompanyId,
    Actor ReopenedBy) : IPortalEvent;
