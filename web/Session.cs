using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Web;

/// <summary>
/// The signed-in user as the web app keeps them: the person (read from the session's claims as
/// every service reads a token's, <see cref="PortalUser"/>), their company's name and their API token.
/// </summary>
public sealed record SignedInUser(PortalUser Person, string? CompanyName, string Token)
{
    public const string TokenClaim = "portal_token";
    public const string CompanyNameClaim = "company_name";
    public const string SessionClaim = "portal_session";

    public Guid Id => Person.UserId;

    public string DisplayName => Person.DisplayName;

    public bool IsStaff => Person.IsStaff;

    public Guid? CompanyId => Person.CompanyId;

    public static SignedInUser? From(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(TokenClaim) is { } token
            ? new(PortalUser.From(user), user.FindFirstValue(CompanyNameClaim), token)
            : null;
}

/// <summary>The current user in a page or a live circuit.</summary>
public sealed class UserSession(AuthenticationStateProvider authentication)
{
    public async Task<SignedInUser?> CurrentAsync() =>
        SignedInUser.From((await authentication.GetAuthenticationStateAsync()).User);
}

public static class SessionEndpoints
{
    public static void Configure(CookieAuthenticationOptions options, Data.ServerSessionStore store)
    {
        options.LoginPath = "/connexion";
        options.LogoutPath = "/deconnexion";
        options.Cookie.Name = "portal_session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.SlidingExpiration = false;
        options.SessionStore = store;
    }
}
