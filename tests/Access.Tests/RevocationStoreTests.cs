using Microsoft.Extensions.Hosting;
using Npgsql;
using Portal.Access.Data;
using Portal.Access.Tokens;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>
/// The deny-list against a real PostgreSQL: what a process reads when it starts, each revocation with its event.
/// </summary>
public sealed class RevocationStoreTests(AccessDatabase database) : IClassFixture<AccessDatabase>
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    [Fact]
    public async Task A_process_that_starts_after_a_revocation_refuses_the_token_and_nothing_else()
    {
        var store = new RevocationStore(_dataSource, TimeProvider.System);
        var userId = Guid.NewGuid();
        var revoked = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await store.RevokeTokenAsync(userId, revoked, now.AddMinutes(10), CancellationToken.None);
        await store.RevokeTokenAsync(userId, revoked, now.AddMinutes(10), CancellationToken.None);

        // A fresh process: an empty list, filled by its first read.
        var list = new RevocationList(TimeProvider.System);
        Assert.False(list.Loaded.IsCompleted);
        list.AddAll(await store.ReadAsync(CancellationToken.None));

        Assert.True(list.Loaded.IsCompleted);
        Assert.True(list.IsRevoked(revoked, userId, now));
        Assert.False(list.IsRevoked(Guid.NewGuid(), userId, now));
        Assert.Equal(1L, await ScalarAsync(
            "select count(*) from outbox_messages where message_type like 'Portal.Contracts.TokensRevoked%' "
                + "and body->>'tokenId' = $1", revoked.ToString()));
    }

    [Fact]
    public async Task An_expired_revocation_is_not_read()
    {
        var store = new RevocationStore(_dataSource, TimeProvider.System);
        var tokenId = Guid.NewGuid();
        await store.RevokeTokenAsync(
            Guid.NewGuid(), tokenId, DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
        Assert.DoesNotContain(await store.ReadAsync(CancellationToken.None), r => r.TokenId == tokenId);
    }

    private async Task<long> ScalarAsync(string sql, string parameter)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
