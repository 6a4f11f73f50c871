namespace Wharf.Core.Cluster;

/// <summary>The cluster's shared state (issue 18): a revisioned key-value store with compare-and-swap
/// transactions, prefix watches and leases — the model of etcd v3, which implements it in Wharf.Cluster; tests use
/// the in-memory fake in Wharf.TestKit. Keys are plain strings ("wharf/networks/ov1"); values are opaque bytes.
/// Every revision is store-wide and grows by one per successful write (as in etcd), so "list at revision R, then
/// watch from R+1" sees every change exactly once.
/// Failures to reach the store throw <see cref="ClusterStoreException"/> with <see cref="ClusterStoreError.Unavailable"/>.</summary>
public interface IClusterStore : IAsyncDisposable
{
    /// <summary>Where the store is, for messages and `docker info` ("etcd://127.0.0.1:2379").</summary>
    string Address { get; }

    /// <summary>The entry at <paramref name="key"/>, or null.</summary>
    Task<ClusterEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in key order, with the store revision
    /// the answer was read at.</summary>
    Task<ClusterRange> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="value"/> unconditionally, attached to <paramref name="lease"/> when non-zero
    /// (the key then disappears with the lease). Returns the revision of the write.</summary>
    Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long lease = 0, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; true when it existed.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Applies <see cref="ClusterTransaction.Success"/> when every compare holds, else
    /// <see cref="ClusterTransaction.Failure"/>, atomically (nobody sees half of it).</summary>
    Task<ClusterTransactionResult> CommitAsync(ClusterTransaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Changes under <paramref name="prefix"/> from <paramref name="fromRevision"/> on (0: from now), in
    /// revision order, until <paramref name="cancellationToken"/> is cancelled. An implementation over a network
    /// reconnects by itself and resumes after the last revision it delivered; it throws
    /// <see cref="ClusterStoreError.Compacted"/> when the store no longer has the revisions asked for (the watcher
    /// then lists again and watches from that list's revision + 1).</summary>
    IAsyncEnumerable<ClusterWatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default);

    /// <summary>A new lease of about <paramref name="ttl"/> (a store may round it up to its minimum); returns its id.</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Renews <paramref name="lease"/> for its full TTL and returns that TTL; throws
    /// <see cref="ClusterStoreError.LeaseNotFound"/> when it has expired (its keys are gone then).</summary>
    Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken = default);

    /// <summary>Ends <paramref name="lease"/> now and deletes its keys; an unknown lease is not an error.</summary>
    Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default);
}
