using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Portal.Notifications.Live;

/// <summary>
/// This instance's open live streams, by user. A signal only says "look again": the stream reads
/// what is new from the database, so a signal that is merged with another or comes twice loses nothing.
/// </summary>
public sealed class NotificationSignals
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _subscribers = new();
    private readonly ConcurrentDictionary<Guid, Subscription> _byStream = new();

    public Subscription Subscribe(Guid userId, Guid streamId)
    {
        var subscription = new Subscription(this, userId, streamId);
        _subscribers.GetOrAdd(userId, _ => new()).TryAdd(subscription, 0);
        _byStream[streamId] = subscription;
        return subscription;
    }

    /// <summary>Ends that stream if this instance holds it (its person opened too many).</summary>
    public void Close(Guid streamId)
    {
        if (_byStream.TryGetValue(streamId, out var subscription))
            subscription.Close();
    }

    public void Signal(Guid userId)
    {
        if (_subscribers.TryGetValue(userId, out var subscriptions))
            foreach (var subscription in subscriptions.Keys)
                subscription.Wake();
    }

    /// <summary>After the listener was cut off, every stream looks again, for what it may have missed.</summary>
    public void SignalAll()
    {
        foreach (var subscriptions in _subscribers.Values)
            foreach (var subscription in subscriptions.Keys)
                subscription.Wake();
    }

    private void Remove(Subscription subscription)
    {
        if (_subscribers.TryGetValue(subscription.UserId, out var subscriptions))
            subscriptions.TryRemove(subscription, out _);
        _byStream.TryRemove(subscription.StreamId, out _);
    }

    public sealed class Subscription(NotificationSignals signals, Guid userId, Guid streamId) : IDisposable
    {
        private readonly Channel<bool> _wake =
            Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private volatile bool _closed;

        public Guid UserId => userId;

        public Guid StreamId => streamId;

        /// <summary>Closed because its person opened a stream more than allowed.</summary>
        public bool IsClosed => _closed;

        internal void Wake() => _wake.Writer.TryWrite(true);

        internal void Close()
        {
            _closed = true;
            Wake();
        }

        /// <summary>
        /// True when woken, false when <paramref name="timeout"/> passed or the stream is being closed.
        /// </summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            try
            {
                await _wake.Reader.ReadAsync(cts.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose() => signals.Remove(this);
    }
}
