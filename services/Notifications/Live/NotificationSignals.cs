using System.Collections.Concurrent;
using System.Threading.Channels;
using Portal.Notifications.Data;

namespace Portal.Notifications.Live;

/// <summary>
/// This instance's open live streams, by user. A signal either carries a new notification, which a stream sends
/// as it is, or says that the person's unread count changed (the stream asks for its badge again), or says "look
/// again" (a listener that was cut off, more notifications than a stream keeps waiting): the stream then reads what
/// is new from the database, so a signal that is merged with another, comes twice or is dropped loses nothing.
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

    /// <summary>
    /// The unread count of <paramref name="userId"/> changed without a notification: their streams ask for the badge,
    /// and read no notifications (none is new).
    /// </summary>
    public void Signal(Guid userId)
    {
        if (_subscribers.TryGetValue(userId, out var subscriptions))
            foreach (var subscription in subscriptions.Keys)
                subscription.Recount();
    }

    /// <summary>A committed notification of <paramref name="userId"/>: their streams send it unread.</summary>
    public void Deliver(Guid userId, NotificationRow row)
    {
        if (_subscribers.TryGetValue(userId, out var subscriptions))
            foreach (var subscription in subscriptions.Keys)
                subscription.Deliver(row);
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
        /// <summary>Notifications kept for a stream that has not sent them yet; beyond, it reads them.</summary>
        private const int MaxWaiting = 100;

        private readonly Channel<bool> _wake =
            Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly ConcurrentQueue<NotificationRow> _delivered = new();
        private int _mustRead = 1;
        private volatile bool _closed;

        public Guid UserId => userId;

        public Guid StreamId => streamId;

        /// <summary>Closed because its person opened a stream more than allowed.</summary>
        public bool IsClosed => _closed;

        internal void Wake()
        {
            Volatile.Write(ref _mustRead, 1);
            _wake.Writer.TryWrite(true);
        }

        internal void Recount() => _wake.Writer.TryWrite(true);

        internal void Deliver(NotificationRow row)
        {
            if (_delivered.Count >= MaxWaiting)
                Volatile.Write(ref _mustRead, 1);
            else
                _delivered.Enqueue(row);
            _wake.Writer.TryWrite(true);
        }

        internal void Close()
        {
            _closed = true;
            _wake.Writer.TryWrite(true);
        }

        /// <summary>
        /// What arrived since the last call, in the order committed, and whether the stream must also read the
        /// database (a bare signal came, or too many notifications did). Notifications come in the order of their
        /// numbers: a person's notifications commit one writer at a time (NotificationStore.TakeTurnsAsync), and
        /// PostgreSQL delivers signals in the order of commits.
        /// </summary>
        public (IReadOnlyList<NotificationRow> Delivered, bool MustRead) Take()
        {
            var mustRead = Interlocked.Exchange(ref _mustRead, 0) == 1;
            var rows = new List<NotificationRow>();
            while (_delivered.TryDequeue(out var row))
                rows.Add(row);
            return (rows, mustRead);
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
