using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Portal.Web.Api;
using Portal.Web.Data;

namespace Portal.Web;

/// <summary>
/// A live page checks now and then that its session still stands: signed out in another tab, its
/// token expired, or refused by the API (signed out elsewhere, account deactivated), the page goes
/// back to sign-in (what was being typed is kept in the drafts). The service being unreachable
/// signs nobody out.
/// </summary>
public sealed class SessionRevalidation(
    ILoggerFactory loggers,
    ServerSessionStore sessions,
    IServiceProvider services,
    IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval =>
        configuration.GetValue("Web:SessionCheckInterval", TimeSpan.FromSeconds(30));

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState state, CancellationToken cancellationToken)
    {
        var user = state.User;
        if (user.FindFirstValue(SignedInUser.SessionClaim) is not { } session || !await sessions.IsActiveAsync(session)
            || user.FindFirstValue(SignedInUser.TokenClaim) is not { } token
            || TokenExpiry.Of(token) <= DateTimeOffset.UtcNow)
            return false;
        try
        {
            // Asked for when needed: the API client reads the session from this very provider.
            await services.GetRequiredService<PortalApi>().MeAsync(token, cancellationToken);
            return true;
        }
        catch (SessionExpiredException)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiProblemException or TaskCanceledException)
        {
            return true;
        }
    }
}
