using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Portal.Access.Tests;

/// <summary>The rule every process applies to a validated token.</summary>
public sealed class RevocationListTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-28T10:00:00Z"));

    [Fact]
    public void A_deactivation_refuses_the_tokens_issued_until_then_and_not_later_ones()
    {
        var list = new RevocationList(_clock);
        var userId = Guid.NewGuid();
        var deactivatedAt = _clock.GetUtcNow();
        list.Add(new Revocation(userId, null, deactivatedAt, deactivatedAt.AddMinutes(15)));

        Assert.True(list.IsRevoked(Guid.NewGuid(), userId, deactivatedAt.AddMinutes(-14)));
        Assert.True(list.IsRevoked(Guid.NewGuid(), userId, deactivatedAt));
        Assert.False(list.IsRevoked(Guid.NewGuid(), userId, deactivatedAt.AddSeconds(1)));
        Assert.False(list.IsRevoked(Guid.NewGuid(), Guid.NewGuid(), deactivatedAt.AddMinutes(-1)));
    }

    [Fact]
    public void An_earlier_deactivation_heard_late_does_not_shorten_a_later_one()
    {
        var list = new RevocationList(_clock);
        var userId = Guid.NewGuid();
        var now = _clock.GetUtcNow();
        list.Add(new Revocation(userId, null, now, now.AddMinutes(15)));
        list.Add(new Revocation(userId, null, now.AddMinutes(-5), now.AddMinutes(10)));
        Assert.True(list.IsRevoked(null, userId, now.AddSeconds(-1)));
    }

    [Fact]
    public void A_revocation_that_has_expired_is_forgotten()
    {
        var list = new RevocationList(_clock);
        var tokenId = Guid.NewGuid();
        list.Add(new Revocation(Guid.NewGuid(), tokenId, _clock.GetUtcNow(), _clock.GetUtcNow().AddMinutes(1)));
        _clock.Advance(TimeSpan.FromMinutes(2));
        list.AddAll([]);
        Assert.False(list.IsRevoked(tokenId, Guid.NewGuid(), _clock.GetUtcNow()));
    }
}
