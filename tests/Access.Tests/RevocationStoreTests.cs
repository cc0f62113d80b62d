using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;
using Portal.Access.Model;
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
    public async Task A_token_asked_for_in_the_second_of_its_persons_revocation_is_issued_after_it_and_works() =>
        Assert.False(await IsTokenAfterRevocationRevokedAsync(DateTimeOffset.UtcNow, TimeProvider.System));

    [Fact]
    public async Task A_token_asked_for_in_the_second_of_a_revocation_is_not_issued_before_the_clock_shows_the_next()
    {
        var revokedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            .AddMilliseconds(400);
        var clock = new EarlyTimers(revokedAt.AddMilliseconds(100));
        Assert.False(await IsTokenAfterRevocationRevokedAsync(revokedAt, clock));
    }

    /// <summary>
    /// Whether a token issued (on <paramref name="clock"/>) for a person whose tokens were all revoked at
    /// <paramref name="revokedAt"/> is refused as revoked.
    /// </summary>
    private async Task<bool> IsTokenAfterRevocationRevokedAsync(DateTimeOffset revokedAt, TimeProvider clock)
    {
        var store = new RevocationStore(_dataSource, TimeProvider.System);
        var user = new DirectoryUser(
            Guid.NewGuid(), "sophie@example.org", "Sophie", "member", Guid.NewGuid(), "Martin");
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await store.AddAsync(transaction, new Revocation(user.Id, null, revokedAt, revokedAt.AddMinutes(15)),
                CancellationToken.None);
            await transaction.CommitAsync();
        }
        var options = Options.Create(new AccessTokenOptions());
        var issuer = new TokenIssuer(new SigningKeyStore(_dataSource, options, TimeProvider.System), store, options,
            Options.Create(new SignInBudgetOptions()), clock);

        var token = new JsonWebToken(await issuer.IssueAsync(user, CancellationToken.None));

        var list = new RevocationList(TimeProvider.System);
        list.AddAll(await store.ReadAsync(CancellationToken.None));
        return list.IsRevoked(Guid.Parse(token.Id), user.Id, new DateTimeOffset(token.IssuedAt, TimeSpan.Zero));
    }

    /// <summary>A clock whose timers end a millisecond before the time they were set for, as real ones may.</summary>
    private sealed class EarlyTimers(DateTimeOffset start) : TimeProvider
    {
        private readonly object _gate = new();
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate)
                return _now;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
                _now += dueTime > TimeSpan.FromMilliseconds(1) ? dueTime - TimeSpan.FromMilliseconds(1) : TimeSpan.Zero;
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new Ended();
        }

        private sealed class Ended : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

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
