namespace Portal.Contracts;

/// <summary>
/// The full access list of a thread after a change; <see cref="Version"/> only grows. The creator
/// always sees the thread, listed or not.
/// </summary>
[PublishedBy(Publishers.Access)]
public sealed record TicketAccessChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid CompanyId,
    string Mode,
    IReadOnlyList<Guid> UserIds,
    long Version,
    Guid CreatorId) : IPortalEvent;
