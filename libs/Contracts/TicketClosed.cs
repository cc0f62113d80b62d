namespace Portal.Contracts;

[PublishedBy(Publishers.Tickets)]
public sealed record TicketClosed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid CompanyId,
    Actor ClosedBy,
    string Reason) : IPortalEvent;
