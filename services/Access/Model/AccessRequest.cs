using Portal.Contracts;

namespace Portal.Access.Model;

public sealed record AccessRequest(string? Mode, IReadOnlyList<Guid>? UserIds)
{
    /// <summary>Null when valid, else the field and the message of the 400.</summary>
    public (string Code, string Field, string Message)? Validate(Guid companyId, IReadOnlySet<Guid> companyUserIds)
    {
        if (!VisibilityModes.IsKnown(Mode))
            return ("access.mode_unknown", "mode", "Le mode doit être « company » ou « restricted ».");
        if ((UserIds ?? []).Any(id => !companyUserIds.Contains(id)))
            return ("access.user_not_in_company", "userIds", "Chaque utilisateur doit appartenir à l'entreprise de la demande.");
        return null;
    }
}
