namespace Portal.Contracts;

/// <summary>
/// A user of the directory as Access knows them now, for services that must reach users who are not
/// signed in (notifications); <see cref="CompanyId"/> is null for staff.
/// </summary>
[PublishedBy(Publishers.Access)]
public sealed record DirectoryUserChanged(
    Guid EventId,
    DateTimeOffset OccurredAt,
    Guid UserId,
    string Email,
    string DisplayName,
    string Role,
    Guid? CompanyId,
    bool Active = true) : IPortalEvent;
