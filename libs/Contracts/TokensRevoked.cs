namespace Portal.Contracts;

/// <summary>
/// Access tokens that must stop working everywhere before they expire: one token (<see cref="TokenId"/>,
/// its <c>jti</c>) when a person signs out, or every token of <see cref="UserId"/> issued at or before
/// <see cref="IssuedBefore"/> when the person is deactivated (<see cref="TokenId"/> null). Nothing it
/// names outlives <see cref="ExpiresAt"/>.
/// </summary>
[PublishedBy(Publishers.Access)]
public sealed record TokensRevoked(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UserId,
    Guid? TokenId,
    DateTimeOffset IssuedBefore,
    DateTimeOffset ExpiresAt) : IPortalEvent;
