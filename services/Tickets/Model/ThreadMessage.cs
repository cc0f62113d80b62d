namespace Portal.Tickets.Model;

public sealed record ThreadMessage(
    Guid Id, Guid AuthorId, string AuthorName, string AuthorSide, string Body, bool RequiresReply, Guid[] AttachmentIds, DateTime CreatedAt);
