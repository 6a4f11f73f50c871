using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wharf.Core.Cluster;

namespace Wharf.TestKit;

/// <summary>The in-memory <see cref="IClusterStore"/>: etcd's semantics (one store-wide revision per write, compares
/// on create/mod revision, version and value, prefix watches replayed from a revision, leases that take their keys
/// with them) without a server. Lease expiry follows the given TimeProvider. <see cref="Unavailable"/> makes every
/// call fail as an unreachable store does; <see cref="Compact"/> drops history as etcd's compaction does.</summary>
public sealed class InMemoryClusterStore : IClusterStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _reaper;
    private readonly SortedDictionary<string, ClusterEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<long, LeaseState> _leases = [];
    private readonly List<ClusterWatchEvent> _history = [];
    private readonly List<Watcher> _watchers = [];
    private long _revision = 1;
    private long _compactedThrough;
    private long _nextLease = 0x1000;

    public InMemoryClusterStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        // Leases expire on their own (a watcher waiting for a node to vanish must see it, as with etcd), checked
        // ten times a second of the provider's time.
        _reaper = _time.CreateTimer(_ => Reap(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public string Address => "memory://";

    /// <summary>While true every call throws <see cref="ClusterStoreError.Unavailable"/> and open watches end with it.</summary>
    public bool Unavailable
    {
        get;
        set
        {
            field = value;
            if (value)
            {
                lock (_gate)
                {
                    foreach (var watcher in _watchers)
                    {
                        watcher.Channel.Writer.TryComplete(Down());
                    }

                    _watchers.Clear();
                }
            }
        }
    }

    /// <summary>The number of leases alive now (expired ones are reaped first).</summary>
    public int LeaseCount
    {
        get
        {
            lock (_gate)
            {
                ExpireLeases();
                return _leases.Count;
            }
        }
    }

    /// <summary>Forgets the history up to <paramref name="revision"/>: watches from at or before it throw
    /// <see cref="ClusterStoreError.Compacted"/>.</summary>
    public void Compact(long revision)
    {
        lock (_gate)
        {
            _compactedThrough = Math.Max(_compactedThrough, revision);
            _history.RemoveAll(e => e.Entry.ModRevision <= revision);
        }
    }

    public Task<ClusterEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            return Task.FromResult(_entries.GetValueOrDefault(key));
        }
    }

    public Task<ClusterRange> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var entries = _entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            return Task.FromResult(new ClusterRange(entries, _revision));
        }
    }

    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long lease = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var changes = new List<ClusterWatchEvent>();
            Apply([ClusterOperation.Put(key, value.Span, lease)], _revision + 1, changes);
            return Task.FromResult(Publish(changes));
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var changes = new List<ClusterWatchEvent>();
            Apply([ClusterOperation.Delete(key)], _revision + 1, changes);
            Publish(changes);
            return Task.FromResult(changes.Count > 0);
        }
    }

    public Task<ClusterTransactionResult> CommitAsync(ClusterTransaction transaction, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var succeeded = transaction.Compares.All(Holds);
            var operations = succeeded ? transaction.Success : transaction.Failure ?? [];
            var written = operations.Where(o => o.Kind != ClusterOperationKind.DeletePrefix).Select(o => o.Key).ToList();
            if (written.Count != written.Distinct(StringComparer.Ordinal).Count())
            {
                throw new ClusterStoreException(ClusterStoreError.InvalidRequest, "duplicate key given in txn request");
            }

            var changes = new List<ClusterWatchEvent>();
            Apply(operations, _revision + 1, changes);
            return Task.FromResult(new ClusterTransactionResult(succeeded, Publish(changes)));
        }
    }

    public async IAsyncEnumerable<ClusterWatchEvent> WatchAsync(
        string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var watcher = new Watcher(prefix, Channel.CreateUnbounded<ClusterWatchEvent>());
        lock (_gate)
        {
            Enter();
            if (fromRevision > 0 && fromRevision <= _compactedThrough)
            {
                throw new ClusterStoreException(
                    ClusterStoreError.Compacted, $"required revision {fromRevision} has been compacted (through {_compactedThrough})");
            }

            foreach (var change in _history.Where(e => e.Entry.ModRevision >= fromRevision && fromRevision > 0))
            {
                if (change.Entry.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    watcher.Channel.Writer.TryWrite(change);
                }
            }

            _watchers.Add(watcher);
        }

        try
        {
            await foreach (var change in watcher.Channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var id = ++_nextLease;
            _leases[id] = new LeaseState(ttl) { Deadline = _time.GetUtcNow() + ttl };
            return Task.FromResult(id);
        }
    }

    public Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            var state = _leases.GetValueOrDefault(lease) ?? throw LeaseNotFound(lease);
            state.Deadline = _time.GetUtcNow() + state.Ttl;
            return Task.FromResult(state.Ttl);
        }
    }

    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Enter();
            if (_leases.Remove(lease, out var state))
            {
                DropLeaseKeys(state);
            }

            return Task.CompletedTask;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reaper.Dispose();
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryComplete();
            }

            _watchers.Clear();
        }

        return ValueTask.CompletedTask;
    }

    // Every call also reaps leases whose deadline passed, so a call never sees a key whose lease has run out.
    private void Enter()
    {
        if (Unavailable)
        {
            throw Down();
        }

        ExpireLeases();
    }

    private void Reap()
    {
        lock (_gate)
        {
            ExpireLeases();
        }
    }

    private void ExpireLeases()
    {
        var now = _time.GetUtcNow();
        foreach (var (id, state) in _leases.Where(l => l.Value.Deadline <= now).ToList())
        {
            _leases.Remove(id);
            DropLeaseKeys(state);
        }
    }

    private void DropLeaseKeys(LeaseState state)
    {
        var changes = new List<ClusterWatchEvent>();
        Apply(state.Keys.Select(ClusterOperation.Delete).ToList(), _revision + 1, changes);
        Publish(changes);
    }

    private bool Holds(ClusterCompare compare)
    {
        var entry = _entries.GetValueOrDefault(compare.Key);
        if (compare.Target == ClusterCompareTarget.Value)
        {
            if (entry is null || compare.Value is null)
            {
                return false;
            }

            var order = entry.Value.AsSpan().SequenceCompareTo(compare.Value);
            return Relate(order, compare.Op);
        }

        long actual = compare.Target switch
        {
            ClusterCompareTarget.CreateRevision => entry?.CreateRevision ?? 0,
            ClusterCompareTarget.ModRevision => entry?.ModRevision ?? 0,
            _ => entry?.Version ?? 0,
        };
        return Relate(actual.CompareTo(compare.Number), compare.Op);
    }

    private static bool Relate(int order, ClusterCompareOp op) => op switch
    {
        ClusterCompareOp.Equal => order == 0,
        ClusterCompareOp.NotEqual => order != 0,
        ClusterCompareOp.Greater => order > 0,
        _ => order < 0,
    };

    private void Apply(IReadOnlyList<ClusterOperation> operations, long revision, List<ClusterWatchEvent> changes)
    {
        // Checked before any change, so a refused transaction leaves nothing half-written.
        foreach (var operation in operations.Where(o => o.Kind == ClusterOperationKind.Put && o.Lease != 0))
        {
            if (!_leases.ContainsKey(operation.Lease))
            {
                throw LeaseNotFound(operation.Lease);
            }
        }

        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case ClusterOperationKind.Put:
                    var old = _entries.GetValueOrDefault(operation.Key);
                    if (old is not null && old.Lease != 0 && _leases.TryGetValue(old.Lease, out var oldLease))
                    {
                        oldLease.Keys.Remove(operation.Key);
                    }

                    if (operation.Lease != 0)
                    {
                        _leases[operation.Lease].Keys.Add(operation.Key);
                    }

                    var entry = new ClusterEntry(
                        operation.Key, operation.Value ?? [], old?.CreateRevision ?? revision, revision, (old?.Version ?? 0) + 1,
                        operation.Lease);
                    _entries[operation.Key] = entry;
                    changes.Add(new ClusterWatchEvent(ClusterWatchEventKind.Put, entry));
                    break;
                case ClusterOperationKind.Delete:
                    Remove(operation.Key, revision, changes);
                    break;
                default:
                    foreach (var key in _entries.Keys.Where(k => k.StartsWith(operation.Key, StringComparison.Ordinal)).ToList())
                    {
                        Remove(key, revision, changes);
                    }

                    break;
            }
        }
    }

    private void Remove(string key, long revision, List<ClusterWatchEvent> changes)
    {
        if (!_entries.Remove(key, out var old))
        {
            return;
        }

        if (old.Lease != 0 && _leases.TryGetValue(old.Lease, out var lease))
        {
            lease.Keys.Remove(key);
        }

        changes.Add(new ClusterWatchEvent(ClusterWatchEventKind.Delete, new ClusterEntry(key, [], 0, revision, 0, 0)));
    }

    // A write that changed nothing (a delete of a missing key) does not move the revision, as in etcd.
    private long Publish(List<ClusterWatchEvent> changes)
    {
        if (changes.Count == 0)
        {
            return _revision;
        }

        _revision++;
        _history.AddRange(changes);
        foreach (var change in changes)
        {
            foreach (var watcher in _watchers.Where(w => change.Entry.Key.StartsWith(w.Prefix, StringComparison.Ordinal)))
            {
                watcher.Channel.Writer.TryWrite(change);
            }
        }

        return _revision;
    }

    private static ClusterStoreException LeaseNotFound(long lease) =>
        new(ClusterStoreError.LeaseNotFound, $"requested lease not found ({lease:x})");

    private static ClusterStoreException Down() => new(ClusterStoreError.Unavailable, "cluster store memory:// is unavailable");

    private sealed record Watcher(string Prefix, Channel<ClusterWatchEvent> Channel);

    private sealed class LeaseState(TimeSpan ttl)
    {
        public TimeSpan Ttl { get; } = ttl;
        public DateTimeOffset Deadline { get; set; }
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
