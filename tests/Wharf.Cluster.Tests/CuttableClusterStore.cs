using System.Runtime.CompilerServices;
using Wharf.Core.Cluster;

namespace Wharf.Cluster.Tests;

/// <summary>One host's way to a shared store that a test can cut (as an iptables DROP towards etcd would): while
/// <see cref="Cut"/> every call fails with <see cref="ClusterStoreError.Unavailable"/> and open watches end with it,
/// while the other hosts keep using the store. Leases granted through it expire in the store as usual.</summary>
internal sealed class CuttableClusterStore(IClusterStore inner) : IClusterStore
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _cutSignal = new();

    public string Address => inner.Address;

    public bool Cut
    {
        get;
        set
        {
            CancellationTokenSource? ended = null;
            lock (_gate)
            {
                field = value;
                if (value)
                {
                    ended = _cutSignal;
                    _cutSignal = new CancellationTokenSource();
                }
            }

            ended?.Cancel();
        }
    }

    public Task<ClusterEntry?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Through(() => inner.GetAsync(key, cancellationToken));

    public Task<ClusterRange> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        Through(() => inner.ListAsync(prefix, cancellationToken));

    public Task<long> PutAsync(string key, ReadOnlyMemory<byte> value, long lease = 0, CancellationToken cancellationToken = default) =>
        Through(() => inner.PutAsync(key, value, lease, cancellationToken));

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Through(() => inner.DeleteAsync(key, cancellationToken));

    public Task<ClusterTransactionResult> CommitAsync(ClusterTransaction transaction, CancellationToken cancellationToken = default) =>
        Through(() => inner.CommitAsync(transaction, cancellationToken));

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Through(() => inner.GrantLeaseAsync(ttl, cancellationToken));

    public Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken = default) =>
        Through(() => inner.KeepAliveAsync(lease, cancellationToken));

    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default) =>
        Through(async () =>
        {
            await inner.RevokeLeaseAsync(lease, cancellationToken);
            return true;
        });

    public async IAsyncEnumerable<ClusterWatchEvent> WatchAsync(
        string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CancellationToken cut;
        lock (_gate)
        {
            if (Cut) throw Down();
            cut = _cutSignal.Token;
        }

        using var link = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut);
        var changes = inner.WatchAsync(prefix, fromRevision, link.Token).GetAsyncEnumerator(link.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await changes.MoveNextAsync();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Down();
                }

                if (!more) yield break;
                yield return changes.Current;
            }
        }
        finally
        {
            await changes.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<T> Through<T>(Func<Task<T>> call)
    {
        if (Cut) throw Down();
        return await call();
    }

    private ClusterStoreException Down() => new(ClusterStoreError.Unavailable, $"cluster store {Address} is unreachable: cut by the test");
}
