using System.Collections.Concurrent;
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

/// <summary>
/// Sessions are kept on the server: the cookie carries only a random key, so the API token is
/// never in the browser, not even encrypted. A restart of the web app asks users to sign in again.
/// </summary>
public sealed class ServerSessionStore : ITicketStore
{
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _tickets = new();
    private readonly ConcurrentDictionary<string, byte> _active = new();

    /// <summary>Whether the session a live page was opened in still stands (not signed out, not expired).</summary>
    public bool IsActive(string session) => _active.ContainsKey(session);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        _tickets[key] = ticket;
        if (ticket.Principal.FindFirst(SignedInUser.SessionClaim)?.Value is { } session)
            _active[session] = 0;
        Prune();
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        _tickets[key] = ticket;
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(
            _tickets.TryGetValue(key, out var ticket) && ticket.Properties.ExpiresUtc > DateTimeOffset.UtcNow
                ? ticket
                : null);

    public Task RemoveAsync(string key)
    {
        if (_tickets.TryRemove(key, out var ticket)
            && ticket.Principal.FindFirst(SignedInUser.SessionClaim)?.Value is { } session)
            _active.TryRemove(session, out _);
        return Task.CompletedTask;
    }

    private void Prune()
    {
        foreach (var (key, ticket) in _tickets)
            if (ticket.Properties.ExpiresUtc <= DateTimeOffset.UtcNow)
                RemoveAsync(key);
    }
}

public static class SessionEndpoints
{
    public static void Configure(CookieAuthenticationOptions options, ServerSessionStore store)
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
