using Portal.Contracts;

namespace Portal.Access.Model;

public sealed record AccessRequest(string? Mode, IReadOnlyList<Guid>? UserIds)
{
    /// <summary>What is wrong with the request; empty when it is valid.</summary>
    public IReadOnlyList<FieldError> Validate(Guid companyId, IReadOnlySet<Guid> companyUserIds)
    {
        var errors = new List<FieldError>();
        if (!VisibilityModes.IsKnown(Mode))
            errors.Add(new("access.mode_unknown", "mode", "Le mode doit être « company » ou « restricted »."));
        if ((UserIds ?? []).Any(id => !companyUserIds.Contains(id)))
            errors.Add(new("access.user_not_in_company", "userIds",
                "Chaque utilisateur doit appartenir à l'entreprise de la demande."));
        return errors;
    }
}
