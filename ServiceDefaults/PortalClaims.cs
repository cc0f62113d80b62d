using System.Security.Claims;

namespace Portal.ServiceDefaults;

/// <summary>The claims of a Portal access token, by their JWT names.</summary>
public static class PortalClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";
    public const string CompanyId = "company_id";

    public const string MemberRole = "member";
    public const string StaffRole = "staff";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(Subject) ?? throw new InvalidOperationException("No subject claim."));

    public static bool IsStaff(this ClaimsPrincipal user) => user.FindFirstValue(Role) == StaffRole;

    public static Guid? CompanyIdOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(CompanyId), out var id) ? id : null;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(Name) ?? "";
}
