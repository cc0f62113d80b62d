using Microsoft.Extensions.Hosting;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Portal.ServiceDefaults;

/// <summary>
/// Access tokens revoked before they expire: one token (signed out), or every token of a person
/// issued at or before a moment (deactivated).
/// </summary>
public sealed record Revocation(Guid UserId, Guid? TokenId, DateTimeOffset IssuedBefore, DateTimeOffset ExpiresAt);

/// <summary>
/// This process's copy of the deny-list, checked on every authenticated request. Access's
/// <c>TokensRevoked</c> event adds to it within moments; a full read from Access at start-up (so a
/// restarted process forgets nothing) and every minute (so an event missed while the broker was
/// away is caught up) completes it. Until the first read, no person's token is accepted.
/// </summary>
public sealed class RevocationList(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _tokens = new();
    private readonly ConcurrentDictionary<Guid, Revocation> _users = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Loaded => _loaded.Task;

    public void Add(Revocation revocation)
    {
        if (revocation.ExpiresAt <= clock.GetUtcNow())
            return;
        if (revocation.TokenId is { } tokenId)
            _tokens[tokenId] = revocation.ExpiresAt;
        else
            _users.AddOrUpdate(revocation.UserId, revocation,
                (_, known) => known.IssuedBefore >= revocation.IssuedBefore ? known : revocation);
    }

    public void AddAll(IEnumerable<Revocation> revocations)
    {
        foreach (var revocation in revocations)
            Add(revocation);
        Prune();
        _loaded.TrySetResult();
    }

    public bool IsRevoked(Guid? tokenId, Guid userId, DateTimeOffset issuedAt) =>
        (tokenId is { } id && _tokens.ContainsKey(id))
        || (_users.TryGetValue(userId, out var user) && issuedAt <= user.IssuedBefore);

    /// <summary>
    /// Whether a validated person's token (its <c>jti</c>, <c>sub</c> and <c>iat</c>) is revoked; a token without
    /// <c>iat</c> counts as old.
    /// </summary>
    public bool IsRevoked(ClaimsPrincipal principal) => IsRevoked(
        Guid.TryParse(principal.FindFirstValue("jti"), out var tokenId) ? tokenId : null,
        Guid.TryParse(principal.FindFirstValue(PortalClaims.Subject), out var userId) ? userId : Guid.Empty,
        long.TryParse(principal.FindFirstValue("iat"), out var iat)
            ? DateTimeOffset.FromUnixTimeSeconds(iat)
            : DateTimeOffset.MinValue);

    private void Prune()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, expiresAt) in _tokens)
            if (expiresAt <= now)
                _tokens.TryRemove(id, out _);
        foreach (var (id, user) in _users)
            if (user.ExpiresAt <= now)
                _users.TryRemove(id, out _);
    }
}

/// <summary>
/// Where a process reads the whole deny-list: Access, over HTTP with this service's token (Access itself reads its
/// database).
/// </summary>
public interface IRevocationSource
{
    Task<IReadOnlyList<Revocation>> ReadAsync(CancellationToken ct);
}

public sealed class AccessRevocationSource(HttpClient http) : IRevocationSource
{
    public const string Path = "/internal/revocations";

    public async Task<IReadOnlyList<Revocation>> ReadAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<Revocation>>(Path, ct) ?? [];
}

public sealed partial class RevocationSync(
    IRevocationSource source,
    RevocationList list,
    ILogger<RevocationSync> logger) : BackgroundService
{
    private static readonly TimeSpan Resync = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = Resync;
            try
            {
                // Housekeeping, not a story: neither this call nor Access's answer is recorded.
                using (Unrecorded.Begin("revocation resync"))
                    list.AddAll(await source.ReadAsync(stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(ex);
                if (!list.Loaded.IsCompleted)
                    wait = Retry;
            }
            await Task.Delay(wait, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not read the revoked tokens from Access")]
    private partial void LogReadFailed(Exception exception);
}

public static class RevocationExtensions
{
    /// <summary>
    /// The deny-list, read from Access with this service's token (Access replaces the source with its database).
    /// </summary>
    public static IServiceCollection AddRevocationList(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RevocationList>();
        services.AddHostedService<RevocationSync>();
        services.AddHttpClient<IRevocationSource, AccessRevocationSource>(http =>
                http.BaseAddress = new Uri(ServiceIdentity.AccessUrl))
            .AddServiceToken(ServiceIdentity.AccessAudience);
        return services;
    }
}
