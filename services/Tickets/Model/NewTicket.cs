using Portal.Contracts;

namespace Portal.Tickets.Model;

public sealed record VisibilityRequest(string? Mode, IReadOnlyList<Guid>? UserIds);

/// <summary>A request to open a thread, as it arrives; <see cref="Validate"/> says what is wrong with it.</summary>
public sealed record NewTicket(
    string? SubjectCode,
    string? Body,
    IReadOnlyList<Guid>? AttachmentIds,
    VisibilityRequest? Visibility,
    Guid? CompanyId,
    bool RequiresReply = false)
{
    public const int MaxAttachments = 10;

    public IReadOnlyList<FieldError> Validate(bool byStaff, int maxBodyLength)
    {
        var errors = new List<FieldError>();
        if (Subjects.Find(SubjectCode) is null)
            errors.Add(new("ticket.subject_unknown", "subjectCode",
                "Choisissez l'objet de votre demande dans la liste."));
        if (string.IsNullOrWhiteSpace(Body))
            errors.Add(new("ticket.body_required", "body", "Décrivez votre demande."));
        else if (Body.Length > maxBodyLength)
            errors.Add(new("ticket.body_too_long", "body",
                $"Le message ne peut pas dépasser {maxBodyLength} caractères."));
        if (!VisibilityModes.IsKnown(Visibility?.Mode))
            errors.Add(new("ticket.visibility_unknown", "visibility.mode",
                "Choisissez qui peut accéder à la demande."));
        if ((AttachmentIds?.Count ?? 0) > MaxAttachments)
            errors.Add(new("ticket.too_many_attachments", "attachmentIds",
                $"Au plus {MaxAttachments} documents par message."));
        if (byStaff && CompanyId is null)
            errors.Add(new("ticket.company_required", "companyId", "Choisissez l'entreprise destinataire."));
        return errors;
    }
}

/// <summary>A reply in a thread, as it arrives.</summary>
public sealed record NewMessage(string? Body, IReadOnlyList<Guid>? AttachmentIds, bool RequiresReply = false)
{
    public IReadOnlyList<FieldError> Validate(int maxBodyLength)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Body))
            errors.Add(new("message.body_required", "body", "Écrivez votre message."));
        else if (Body.Length > maxBodyLength)
            errors.Add(new("message.body_too_long", "body",
                $"Le message ne peut pas dépasser {maxBodyLength} caractères."));
        if ((AttachmentIds?.Count ?? 0) > NewTicket.MaxAttachments)
            errors.Add(new("message.too_many_attachments", "attachmentIds",
                $"Au plus {NewTicket.MaxAttachments} documents par message."));
        return errors;
    }
}
