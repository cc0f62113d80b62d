namespace Portal.Tickets.Model;

/// <summary>A request to route a thread to a team and, optionally, to a staff member of it.</summary>
public sealed record AssignmentRequest(string? Team, Guid? AssigneeId)
{
    public IReadOnlyList<FieldError> Validate(Teams teams) =>
        teams.Find(Team) is null
            ? [new("assignment.team_unknown", "team", "Cette équipe n'existe pas.")]
            : [];
}

/// <summary>A staff member as Access lists them, with their teams.</summary>
public sealed record StaffMember(Guid Id, string DisplayName, IReadOnlyList<string> Teams, bool Active = true);
