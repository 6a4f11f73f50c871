using System.Diagnostics;
using System.Threading.Channels;
using Wharf.Core.Cluster;
using Wharf.Engine.Cluster;

namespace Wharf.Cluster.Tests;

/// <summary>The endpoint directory on every store: what a host must program for the other hosts' endpoints
/// (issue 18 §3), driven by the store's watch.</summary>
public abstract class EndpointDirectoryConformance : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly List<IAsyncDisposable> _opened = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _network = "net" + Guid.NewGuid().ToString("N")[..10];
    private Task? _following;

    private protected abstract IClusterStore OpenClient();

    /// <summary>Makes the follower's store fail for a moment (as an etcd restart does), changing the store meanwhile
    /// through <paramref name="whileDown"/>; null when the store cannot be taken down in the test.</summary>
    private protected virtual Func<Func<Task>, Task>? Outage => null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_following is not null) await _following;
        await Open().CommitAsync(new ClusterTransaction([], [ClusterOperation.DeletePrefix(ClusterKeys.Endpoints(_network))]));
        foreach (var opened in Enumerable.Reverse(_opened)) await opened.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task Follow_RemoteEndpoints_ArePeersAndLocalOnesAreNot()
    {
        var hostB = new ClusterEndpointDirectory(Open());
        await hostB.PublishAsync(Endpoint("e1", "10.99.0.12", "10.0.9.2"), 0);
        var changes = Follow("10.99.0.11");

        Assert.Equal("+e1@10.99.0.12", Describe(await NextAsync(changes)));
        await new ClusterEndpointDirectory(Open()).PublishAsync(Endpoint("local", "10.99.0.11", "10.0.9.3"), 0);
        await hostB.PublishAsync(Endpoint("e2", "10.99.0.12", "10.0.9.4"), 0);
        Assert.Equal("+e2@10.99.0.12", Describe(await NextAsync(changes)));
        await hostB.WithdrawAsync(_network, "e1");
        Assert.Equal("-e1@10.99.0.12", Describe(await NextAsync(changes)));
    }

    [Fact]
    public async Task Follow_PublishOnAnotherHost_ArrivesWithinOneSecond()
    {
        var changes = Follow("10.99.0.11");
        await Task.Delay(300);
        var remote = new ClusterEndpointDirectory(Open());

        var clock = Stopwatch.StartNew();
        await remote.PublishAsync(Endpoint("fast", "10.99.0.13", "10.0.9.5"), 0);
        var change = await NextAsync(changes);
        clock.Stop();

        Assert.Equal("+fast@10.99.0.13", Describe(change));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Follow_NodeLeaseRunsOut_ItsPeersAreRemoved()
    {
        var store = Open();
        var lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        await new ClusterEndpointDirectory(store).PublishAsync(Endpoint("doomed", "10.99.0.13", "10.0.9.6"), lease);
        var changes = Follow("10.99.0.11");
        Assert.Equal("+doomed@10.99.0.13", Describe(await NextAsync(changes)));

        Assert.Equal("-doomed@10.99.0.13", Describe(await NextAsync(changes)));
    }

    [Fact]
    public async Task Follow_StoreDownWhileEndpointsChange_ResyncsToTheDifference()
    {
        if (Outage is not { } outage) return;
        var directory = new ClusterEndpointDirectory(Open());
        await directory.PublishAsync(Endpoint("old", "10.99.0.12", "10.0.9.7"), 0);
        var changes = Follow("10.99.0.11");
        Assert.Equal("+old@10.99.0.12", Describe(await NextAsync(changes)));

        await outage(async () =>
        {
            await directory.WithdrawAsync(_network, "old");
            await directory.PublishAsync(Endpoint("new", "10.99.0.13", "10.0.9.8"), 0);
        });

        Assert.Equal(["+new@10.99.0.13", "-old@10.99.0.12"], new[] { Describe(await NextAsync(changes)), Describe(await NextAsync(changes)) }.Order());
    }

    private ClusterEndpoint Endpoint(string id, string node, string address) =>
        new(_network, id, node, address, "02:42:0a:00:09:" + address.Split('.')[^1].PadLeft(2, '0'), "c-" + id);

    private ChannelReader<OverlayPeerChange> Follow(string localNode)
    {
        var channel = Channel.CreateUnbounded<OverlayPeerChange>();
        var directory = new ClusterEndpointDirectory(Open());
        _following = Task.Run(() => directory.FollowAsync(_network, localNode, async c => await channel.Writer.WriteAsync(c), _stop.Token));
        return channel.Reader;
    }

    private static async Task<OverlayPeerChange> NextAsync(ChannelReader<OverlayPeerChange> changes)
    {
        using var timeout = new CancellationTokenSource(Wait);
        return await changes.ReadAsync(timeout.Token);
    }

    private static string Describe(OverlayPeerChange change) => $"{(change.Added ? '+' : '-')}{change.Peer.EndpointId}@{change.Peer.Vtep}";

    private IClusterStore Open()
    {
        var store = OpenClient();
        _opened.Add(store);
        return store;
    }
}
