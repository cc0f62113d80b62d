namespace Portal.Contracts;

/// <summary>Staff routed a thread to a team and, when <see cref="AssigneeId"/> is set, to a person of it.</summary>
[PublishedBy(Publishers.Tickets)]
public sealed record TicketAssigned(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid CompanyId,
    string Team,
    Guid? AssigneeId,
    Guid AssignedBy) : IPortalEvent;
