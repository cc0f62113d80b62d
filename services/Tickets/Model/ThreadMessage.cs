namespace Portal.Tickets.Model;

public sealed record ThreadMessage(
    Guid Id,
    Guid AuthorId,
    string AuthorName,
    string AuthorSide,
    string Body,
    bool RequiresReply,
    IReadOnlyList<AttachedFile> Attachments,
    DateTime CreatedAt);

public sealed record AttachedFile(Guid Id, string FileName, string ContentType, long Size);
