using System.Security.Claims;

namespace Portal.ServiceDefaults;

/// <summary>The person behind a request, read once from their access token's claims.</summary>
public sealed record PortalUser(Guid UserId, bool IsStaff, Guid? CompanyId, string DisplayName)
{
    /// <summary>"staff" or "member", as events and rows name a side.</summary>
    public string Side => IsStaff ? PortalClaims.StaffRole : PortalClaims.MemberRole;

    public static PortalUser From(ClaimsPrincipal user) =>
        new(user.UserId(), user.IsStaff(), user.CompanyIdOf(), user.DisplayName());
}
