using System.Threading.Channels;

namespace Wharf.Engine.Events;

/// <summary>Fan-out of engine events to /events subscribers, with a bounded history so that `--since` can replay
/// what happened before the subscriber came. Publishing never blocks on a slow subscriber: its channel is bounded
/// and the oldest events are dropped for it alone.</summary>
public sealed class EventBus(TimeProvider time)
{
    private const int HistoryCapacity = 1024;
    private const int SubscriberCapacity = 4096;
    private readonly Lock _gate = new();
    private readonly LinkedList<EngineEvent> _history = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private long _lastNano;

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_gate)
        {
            // Keep time strictly increasing so since/until windows are exact even within one tick.
            var now = time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000 + (time.GetTimestamp() % 1_000_000);
            _lastNano = Math.Max(now, _lastNano + 1);
            var e = new EngineEvent(type, action, actorId, attributes, _lastNano);
            _history.AddLast(e);
            if (_history.Count > HistoryCapacity) _history.RemoveFirst();
            foreach (var s in _subscribers) s.Writer.TryWrite(e);
        }
    }

    /// <summary>Returns the events at or after <paramref name="sinceNano"/> already seen, and a live feed of the
    /// ones to come. Dispose the subscription to stop it.</summary>
    public Subscription Subscribe(long? sinceNano)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            var past = sinceNano is { } since ? _history.Where(e => e.TimeNano >= since).ToList() : [];
            _subscribers.Add(channel);
            return new Subscription(this, channel, past);
        }
    }

    private void Unsubscribe(Channel<EngineEvent> channel)
    {
        lock (_gate) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }

    public sealed class Subscription(EventBus bus, Channel<EngineEvent> channel, IReadOnlyList<EngineEvent> past) : IDisposable
    {
        public IReadOnlyList<EngineEvent> Past { get; } = past;
        public ChannelReader<EngineEvent> Live => channel.Reader;
        public void Dispose() => bus.Unsubscribe(channel);
    }
}
