using Portal.Access.Data;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Portal.Access.Tokens;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>
/// Signing keys against a real PostgreSQL: kept across restarts, rotated, the previous one still published.
/// </summary>
public sealed class SigningKeyStoreTests(AccessDatabase database) : IClassFixture<AccessDatabase>
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    [Fact]
    public async Task A_restarted_instance_signs_with_the_same_key()
    {
        var options = Options.Create(new AccessTokenOptions());
        var first = await new SigningKeyStore(_dataSource, options, TimeProvider.System).CurrentAsync();
        var second = await new SigningKeyStore(_dataSource, options, TimeProvider.System).CurrentAsync();
        Assert.Equal(first.KeyId, second.KeyId);
    }

    [Fact]
    public async Task An_old_key_is_replaced_and_still_validates()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new AccessTokenOptions { KeyRotation = TimeSpan.FromDays(30) });
        var before = await new SigningKeyStore(_dataSource, options, clock).CurrentAsync();

        clock.Advance(TimeSpan.FromDays(31));
        var keys = await new SigningKeyStore(_dataSource, options, clock).KeysAsync();

        Assert.Equal(2, keys.Count);
        Assert.NotEqual(before.KeyId, keys[0].KeyId);
        Assert.Equal(before.KeyId, keys[1].KeyId);
    }
}
