namespace Portal.Tickets.Model;

public static class TrailKinds
{
    public const string Thread = "thread";
    public const string Attachment = "attachment";
}

/// <summary>
/// One line of a thread's read trail: who opened it or downloaded one of its files, when, from which side.
/// </summary>
/// <param name="CompanyId">The reader's company (null for staff): a member sees their own company's lines.</param>
public sealed record TrailEntry(
    Guid UserId, string DisplayName, string Side, Guid? CompanyId, string What, Guid? AttachmentId, DateTime At);
