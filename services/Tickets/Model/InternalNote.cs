namespace Portal.Tickets.Model;

/// <summary>Staff-only text on a thread (docs/DESIGN.md, « Internal notes »): no member ever reads it.</summary>
public sealed record InternalNote(Guid Id, Guid AuthorId, string AuthorName, string Body, DateTime CreatedAt);

public sealed record NewNote(string? Body)
{
    public IReadOnlyList<FieldError> Validate(int maxBodyLength)
    {
        if (string.IsNullOrWhiteSpace(Body))
            return [new("note.body_required", "body", "Écrivez la note.")];
        if (Body.Length > maxBodyLength)
            return [new("note.body_too_long", "body", $"La note ne peut pas dépasser {maxBodyLength} caractères.")];
        return [];
    }
}
