using Wharf.Core.Cluster;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

public sealed class InMemoryClusterStoreTests : ClusterStoreConformance, IAsyncLifetime
{
    private readonly InMemoryClusterStore _store = new();

    private protected override IClusterStore Store => _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private protected override Task CompactAsync(long revision)
    {
        _store.Compact(revision);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Unavailable_EveryCallAndOpenWatch_FailWithUnavailable()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var unused in _store.WatchAsync(P, 0, stop.Token))
            {
            }
        });
        await Task.Delay(100);

        _store.Unavailable = true;

        var put = await Assert.ThrowsAsync<ClusterStoreException>(() => _store.PutAsync(P + "a", "1"u8.ToArray()));
        var watch = await Assert.ThrowsAsync<ClusterStoreException>(() => watching);
        Assert.Equal(ClusterStoreError.Unavailable, put.Error);
        Assert.Equal(ClusterStoreError.Unavailable, watch.Error);
    }
}
