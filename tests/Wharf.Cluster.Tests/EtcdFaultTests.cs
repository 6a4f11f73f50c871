using System.Diagnostics;
using Wharf.Core.Cluster;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>etcd going away and coming back, as issue 18's fault cases need: a clear error fast while it is down, and
/// watches that pick up where they were once it is back. Each test has its own etcd, since it kills it.</summary>
public sealed class EtcdFaultTests
{
    [Fact]
    public async Task Calls_NothingListening_FailFastWithUnavailableNamingTheStore()
    {
        var port = LoopbackPorts.FreeTcp();
        await using var store = new EtcdClusterStore(ClusterStoreAddress.Parse($"etcd://127.0.0.1:{port}"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterStoreException>(() => store.PutAsync("a", "1"u8.ToArray()));

        Assert.Equal(ClusterStoreError.Unavailable, error.Error);
        Assert.Contains($"etcd://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Calls_FirstMemberDown_UseTheNextMember()
    {
        await using var etcd = await EtcdServerProcess.StartNewAsync();
        var dead = LoopbackPorts.FreeTcp();
        await using var store = new EtcdClusterStore(ClusterStoreAddress.Parse($"etcd://127.0.0.1:{dead},127.0.0.1:{etcd.ClientPort}"));

        await store.PutAsync("a", "1"u8.ToArray());

        Assert.Equal("1", (await store.GetAsync("a"))!.ValueText);
    }

    [Fact]
    public async Task Watch_EtcdRestarted_ResumesWithoutLosingChanges()
    {
        await using var etcd = await EtcdServerProcess.StartNewAsync();
        await using var store = new EtcdClusterStore(ClusterStoreAddress.Parse(etcd.Url));
        await store.PutAsync("w/before", "1"u8.ToArray());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        var seen = new List<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var change in store.WatchAsync("w/", 1, stop.Token))
            {
                lock (seen)
                {
                    seen.Add(change.Entry.Key);
                }

                if (change.Entry.Key == "w/after")
                {
                    return;
                }
            }
        });
        await WaitUntilAsync(() => seen.Contains("w/before"));

        await etcd.StopAsync();
        var down = await Assert.ThrowsAsync<ClusterStoreException>(() => store.PutAsync("w/lost", "x"u8.ToArray()));
        await etcd.StartAsync();
        await store.PutAsync("w/during", "2"u8.ToArray());
        await store.PutAsync("w/after", "3"u8.ToArray());
        await watching.WaitAsync(stop.Token);

        Assert.Equal(ClusterStoreError.Unavailable, down.Error);
        Assert.Equal(["w/before", "w/during", "w/after"], seen);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(20);
        }
    }
}
