namespace Portal.Access.Model;

public sealed record DirectoryUser(
    Guid Id,
    string Email,
    string DisplayName,
    string Role,
    Guid? CompanyId,
    string? CompanyName,
    bool Active = true)
{
    public bool IsStaff => Role == PortalClaims.StaffRole;
}
