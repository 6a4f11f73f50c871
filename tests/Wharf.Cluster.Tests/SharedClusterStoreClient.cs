using Wharf.Core.Cluster;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>One more "daemon's" client of a shared in-memory store: disposing it does not end the store.</summary>
internal sealed class SharedClusterStoreClient(InMemoryClusterStore inner) : IClusterStore
{
    public string Address => inner.Address;
    public Task<ClusterEntry?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);
    public Task<ClusterRange> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long lease = 0, CancellationToken cancellationToken = default) =>
        inner.PutAsync(key, value, lease, cancellationToken);
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    public Task<ClusterTransactionResult> CommitAsync(ClusterTransaction transaction, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(transaction, cancellationToken);
    public IAsyncEnumerable<ClusterWatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(prefix, fromRevision, cancellationToken);
    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) => inner.GrantLeaseAsync(ttl, cancellationToken);
    public Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken = default) => inner.KeepAliveAsync(lease, cancellationToken);
    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default) => inner.RevokeLeaseAsync(lease, cancellationToken);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
