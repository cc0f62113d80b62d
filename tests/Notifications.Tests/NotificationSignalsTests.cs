using Portal.Notifications.Data;
using Portal.Notifications.Live;
using Xunit;

namespace Portal.Notifications.Tests;

/// <summary>What a live stream is handed between two wakes: notifications in order, or that it must read.</summary>
public sealed class NotificationSignalsTests
{
    private readonly NotificationSignals _signals = new();
    private readonly Guid _user = Guid.NewGuid();

    [Fact]
    public void A_new_stream_reads_first_then_sends_what_signals_carry_in_their_order()
    {
        using var subscription = _signals.Subscribe(_user, Guid.NewGuid());
        Assert.True(subscription.Take().MustRead);

        _signals.Deliver(_user, Row(7));
        _signals.Deliver(_user, Row(9));
        _signals.Deliver(Guid.NewGuid(), Row(8));
        var (delivered, mustRead) = subscription.Take();
        Assert.False(mustRead);
        Assert.Equal([7L, 9L], delivered.Select(r => r.Seq));
        Assert.Empty(subscription.Take().Delivered);
    }

    [Fact]
    public async Task A_changed_count_wakes_the_stream_without_making_it_read()
    {
        using var subscription = _signals.Subscribe(_user, Guid.NewGuid());
        subscription.Take();
        var waiting = subscription.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        _signals.Signal(_user);
        Assert.True(await waiting);
        var (delivered, mustRead) = subscription.Take();
        Assert.False(mustRead);
        Assert.Empty(delivered);
    }

    [Fact]
    public void A_listener_cut_off_or_too_many_waiting_notifications_make_the_stream_read()
    {
        using var subscription = _signals.Subscribe(_user, Guid.NewGuid());
        subscription.Take();

        for (var seq = 1; seq <= 150; seq++)
            _signals.Deliver(_user, Row(seq));
        var (delivered, mustRead) = subscription.Take();
        Assert.True(mustRead);
        Assert.Equal(100, delivered.Count);

        _signals.SignalAll();
        Assert.True(subscription.Take().MustRead);
    }

    [Fact]
    public async Task A_delivered_notification_wakes_the_stream()
    {
        using var subscription = _signals.Subscribe(_user, Guid.NewGuid());
        subscription.Take();
        var waiting = subscription.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        _signals.Deliver(_user, Row(1));
        Assert.True(await waiting);
    }

    private static NotificationRow Row(long seq) =>
        new(seq, Guid.NewGuid(), "message_posted", Guid.NewGuid(), 1001, "Autre demande", DateTime.UtcNow, null);
}
