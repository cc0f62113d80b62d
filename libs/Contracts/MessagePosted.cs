namespace Portal.Contracts;

/// <summary>
/// A message was accepted; <see cref="OpensThread"/> marks the first one, posted with <see cref="TicketOpened"/>.
/// </summary>
[PublishedBy(Publishers.Tickets)]
public sealed record MessagePosted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid TicketId,
    Guid MessageId,
    Guid CompanyId,
    Actor Author,
    bool RequiresReply,
    IReadOnlyList<Guid> AttachmentIds,
    bool OpensThread = false) : IPortalEvent;
