using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.ServiceDefaults;

/// <summary>
/// A service's own identity for service-to-service calls: client credentials
/// (<c>ServiceIdentity:ClientId</c>, <c>ServiceIdentity:ClientSecret</c>, given by the AppHost) exchanged at
/// Access for a short token whose audience is the called service. Internal endpoints accept only such
/// a token, never a person's; calls made on a person's behalf carry the person's token instead.
/// </summary>
public static class ServiceIdentity
{
    /// <summary>The authentication scheme of internal endpoints: tokens whose audience is this service.</summary>
    public const string Scheme = "service";
    public const string ClientIdClaim = "client_id";
    public const string TokenPath = "/internal/service-token";
    public const string AccessAudience = "access";
    public const string AccessUrl = "http://access";

    /// <summary>
    /// This service's name: its client id, and the audience of the tokens it accepts on internal endpoints.
    /// </summary>
    public static string? NameOf(IConfiguration configuration) => configuration["ServiceIdentity:ClientId"];

    /// <summary>
    /// Only a service token passes: from one of <paramref name="callers"/>, or from any service when none is named.
    /// </summary>
    public static TBuilder RequireService<TBuilder>(this TBuilder endpoint, params string[] callers)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(new AuthorizationPolicyBuilder(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ClientIdClaim, callers)
            .Build());

    /// <summary>Every request of this client carries this service's token for <paramref name="audience"/>.</summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder client, string audience)
    {
        client.Services.TryAddSingleton(TimeProvider.System);
        client.Services.TryAddSingleton<ServiceTokens>();
        client.Services.AddHttpClient(ServiceTokens.HttpClientName, http => http.BaseAddress = new Uri(AccessUrl));
        return client.AddHttpMessageHandler(sp =>
            new ServiceTokenHandler(sp.GetRequiredService<ServiceTokens>(), audience));
    }
}

/// <summary>
/// This service's tokens, one per audience, asked of Access once and reused until shortly before they expire.
/// </summary>
public sealed class ServiceTokens(IHttpClientFactory httpClients, IConfiguration configuration, TimeProvider clock)
{
    internal const string HttpClientName = "service-tokens";
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new();
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public async Task<string> TokenForAsync(string audience, CancellationToken ct)
    {
        if (_tokens.TryGetValue(audience, out var cached) && clock.GetUtcNow() < cached.RenewAt)
            return cached.Token;
        await _fetching.WaitAsync(ct);
        try
        {
            if (_tokens.TryGetValue(audience, out cached) && clock.GetUtcNow() < cached.RenewAt)
                return cached.Token;
            var clientId = ServiceIdentity.NameOf(configuration)
                ?? throw new InvalidOperationException("ServiceIdentity:ClientId is not configured.");
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.PostAsJsonAsync(ServiceIdentity.TokenPath,
                new ServiceTokenRequest(clientId, configuration["ServiceIdentity:ClientSecret"], audience), ct);
            response.EnsureSuccessStatusCode();
            var issued = await response.Content.ReadFromJsonAsync<ServiceTokenResponse>(ct)
                ?? throw new InvalidOperationException("Access answered no service token.");
            // Renewed at two thirds of its life, so a token never expires in flight.
            _tokens[audience] =
                (issued.AccessToken, clock.GetUtcNow() + TimeSpan.FromSeconds(issued.ExpiresIn * 2 / 3.0));
            return issued.AccessToken;
        }
        finally
        {
            _fetching.Release();
        }
    }
}

public sealed record ServiceTokenRequest(string? ClientId, string? ClientSecret, string? Audience);

public sealed record ServiceTokenResponse(string AccessToken, string TokenType, int ExpiresIn);

internal sealed class ServiceTokenHandler(ServiceTokens tokens, string audience) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization =
            new AuthenticationHeaderValue("Bearer", await tokens.TokenForAsync(audience, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
