using System.Security.Claims;

namespace Portal.Access.Model;

/// <summary>Who is asking: enough to decide what they may see.</summary>
public sealed record Viewer(Guid UserId, bool IsStaff, Guid? CompanyId)
{
    public static Viewer From(ClaimsPrincipal user) => new(user.UserId(), user.IsStaff(), user.CompanyIdOf());
}
