using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Portal.Database;
using Portal.Testing;
using Portal.Web;
using Portal.Web.Data;
using Xunit;

namespace Portal.Web.Tests;

/// <summary>
/// The web front end keeps no state of its own: two instances (each its own services and Data Protection, sharing
/// only the database) read each other's sessions and drafts, as a restarted instance reads its predecessor's.
/// </summary>
public sealed class WebStateTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync("web");
        _dataSource = NpgsqlDataSource.Create(_postgres.ConnectionString("web"));
        await new DatabaseMigrator(_dataSource, _postgres.ConnectionString("web"),
                [typeof(ServerSessionStore).Assembly], NullLogger<DatabaseMigrator>.Instance)
            .StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_session_stored_by_one_instance_is_read_and_ended_by_another()
    {
        using var first = Instance();
        using var second = Instance();
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(SignedInUser.TokenClaim, "jeton-de-camille"), new Claim(SignedInUser.SessionClaim, "s-1")],
            "Cookies")), new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, "Cookies");

        var key = await first.GetRequiredService<ServerSessionStore>().StoreAsync(ticket);

        var sessions = second.GetRequiredService<ServerSessionStore>();
        var read = await sessions.RetrieveAsync(key);
        Assert.Equal("jeton-de-camille", read?.Principal.FindFirstValue(SignedInUser.TokenClaim));
        Assert.True(await sessions.IsActiveAsync("s-1"));
        // Neither the token nor the cookie's key is readable in the database.
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("select key_hash, ticket from sessions", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.NotEqual(key, reader.GetString(0));
            Assert.DoesNotContain("jeton-de-camille", System.Text.Encoding.UTF8.GetString((byte[])reader[1]),
                StringComparison.Ordinal);
        }

        await sessions.RemoveAsync(key);
        Assert.Null(await first.GetRequiredService<ServerSessionStore>().RetrieveAsync(key));
        Assert.False(await first.GetRequiredService<ServerSessionStore>().IsActiveAsync("s-1"));
    }

    [Fact]
    public async Task A_draft_typed_on_one_instance_is_found_on_another_and_an_older_save_arriving_late_does_not_win()
    {
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        using var first = Instance(new FakeTimeProvider(now));
        using var second = Instance(new FakeTimeProvider(now.AddSeconds(1)));
        var user = Guid.NewGuid();

        await second.GetRequiredService<DraftStore>().SetAsync(user, "reply-1", "Bonjour, et merci");
        Assert.Equal("Bonjour, et merci", await first.GetRequiredService<DraftStore>().GetAsync(user, "reply-1"));
        // A keystroke handled a second earlier, saved only now: the newer text stays.
        await first.GetRequiredService<DraftStore>().SetAsync(user, "reply-1", "Bonjour");
        Assert.Equal("Bonjour, et merci", await first.GetRequiredService<DraftStore>().GetAsync(user, "reply-1"));

        using var later = Instance(new FakeTimeProvider(now.AddSeconds(2)));
        await later.GetRequiredService<DraftStore>().SetAsync(user, "reply-1", "");
        Assert.Equal("", await second.GetRequiredService<DraftStore>().GetAsync(user, "reply-1"));
    }

    // One instance of the web front end, as far as its state goes: its own container and Data Protection system.
    private ServiceProvider Instance(TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddLogging();
        services.AddSingleton(_dataSource);
        services.AddSingleton<DatabaseKeyRepository>();
        services.AddDataProtection().SetApplicationName("portal-web");
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseKeyRepository>((options, keys) => options.XmlRepository = keys);
        services.AddSingleton<ServerSessionStore>();
        services.AddSingleton<DraftStore>();
        return services.BuildServiceProvider();
    }
}
