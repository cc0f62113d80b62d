using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Portal.Web;

/// <summary>
/// A live page checks now and then that its session still stands: signed out in another tab, or
/// its token expired, the page goes back to sign-in (what was being typed is kept in the drafts).
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, ServerSessionStore sessions, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => configuration.GetValue("Web:SessionCheckInterval", TimeSpan.FromSeconds(30));

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var user = state.User;
        var valid = user.FindFirstValue(SignedInUser.SessionClaim) is { } session && sessions.IsActive(session)
            && user.FindFirstValue(SignedInUser.TokenClaim) is { } token && TokenExpiry.Of(token) > DateTimeOffset.UtcNow;
        return Task.FromResult(valid);
    }
}
