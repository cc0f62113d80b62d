using Dapper;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// The whole system (<see cref="PortalSystem"/>), started once for every end-to-end test, with a
/// telemetry receiver in the test. Tests reach it through the gateway, as a front end would.
/// </summary>
public sealed class PortalApp : IAsyncLifetime
{
    private PortalSystem _system = null!;

    public DistributedApplication App => _system.App;

    /// <summary>Every process's metrics, as the dashboard would receive them.</summary>
    public TelemetryReceiver Telemetry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Telemetry = await TelemetryReceiver.StartAsync();
        _system = await PortalSystem.StartAsync<Projects.AppHost>($"Portal:TelemetryEndpoint={Telemetry.Endpoint}");
    }

    public async Task DisposeAsync()
    {
        await _system.DisposeAsync();
        await Telemetry.DisposeAsync();
    }

    public HttpClient Gateway() => _system.GatewayClient();

    public HttpClient Service(string name) => App.CreateHttpClient(name);

    public Task<string> ConnectionStringAsync(string resource) => _system.ConnectionStringAsync(resource);

    /// <summary>The environment the AppHost gives a resource (its secrets included), as it resolved it.</summary>
    // Its successor (ExecutionConfigurationBuilder) needs an execution context and a logger for the same answer.
#pragma warning disable CS0618
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(string resource) =>
        await App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithEnvironment>().Single(r => r.Name == resource)
            .GetEnvironmentVariableValuesAsync();
#pragma warning restore CS0618

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<string>> _tokens = new();

    /// <summary>
    /// One sign-in per user for the whole run, as a front end keeps its token: sign-in is rate-limited per address.
    /// </summary>
    public Task<string> TokenAsync(string email) => _tokens.GetOrAdd(email, SignInAsync);

    /// <summary>After a test revoked a user's tokens, the next <see cref="TokenAsync"/> signs in again.</summary>
    public void ForgetToken(string email) => _tokens.TryRemove(email, out _);

    /// <summary>A token of its own, for a test that revokes it.</summary>
    public async Task<string> SignInAsync(string email)
    {
        using var gateway = Gateway();
        var response = await gateway.PostAsJsonAsync("/api/auth/token", new { email, password = Demo.Password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.AccessToken;
    }

    public async Task<HttpClient> GatewayAsAsync(string email)
    {
        var client = Gateway();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(email));
        return client;
    }

    /// <summary>
    /// The name of every member <see cref="NewMemberAsync"/> adds: tests of the demo directory leave them out.
    /// </summary>
    public const string TestMemberName = "Membre de TEST";

    /// <summary>
    /// A member of Boulangerie Martin of their own (Camille's password), for a test that spends a person's budgets or
    /// quotas.
    /// </summary>
    public async Task<(Guid Id, string Email)> NewMemberAsync()
    {
        var email = $"test-{Guid.NewGuid():N}@boulangerie-martin.example";
        await using var access = new NpgsqlConnection(await ConnectionStringAsync("access-db"));
        var id = await access.ExecuteScalarAsync<Guid>(
            """
            insert into users (id, email, display_name, role, company_id, password_hash)
            select gen_random_uuid(), @email, @name, role, company_id, password_hash
            from users where lower(email) = lower(@camille)
            returning id
            """, new { email, name = TestMemberName, camille = Demo.Camille });
        return (id, email);
    }

    private sealed record TokenBody(string AccessToken);
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalApp>
{
    public const string Name = "portal";
}
