using System.Security.Claims;

namespace Portal.Notifications.Model;

/// <summary>Who reads their notifications: enough to keep to the threads they may see now.</summary>
public sealed record Reader(Guid UserId, bool IsStaff, Guid? CompanyId)
{
    public static Reader From(ClaimsPrincipal user) => new(user.UserId(), user.IsStaff(), user.CompanyIdOf());
}
