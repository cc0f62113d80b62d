namespace Portal.Contracts;

/// <summary>A user read a thread up to now: their unread count may have changed.</summary>
[PublishedBy(Publishers.Tickets)]
public sealed record TicketRead(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid UserId) : IPortalEvent;
