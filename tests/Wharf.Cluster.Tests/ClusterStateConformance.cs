using System.Net;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks;

namespace Wharf.Cluster.Tests;

/// <summary>The engine's cluster state (cluster-wide IPAM, node registry) on every store: subclasses give a way to
/// open one store client per simulated host. Each test uses network ids and node names of its own.</summary>
public abstract class ClusterStateConformance : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(500);
    private readonly List<IAsyncDisposable> _opened = [];
    private readonly string _id = Guid.NewGuid().ToString("N")[..10];

    private string Network => "net" + _id;

    /// <summary>A new client of the shared store, as one more daemon would hold.</summary>
    private protected abstract IClusterStore OpenClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var opened in Enumerable.Reverse(_opened))
        {
            await opened.DisposeAsync();
        }

        var store = Open();
        await store.CommitAsync(new ClusterTransaction([], [ClusterOperation.DeletePrefix(ClusterKeys.Addresses(Network)), ClusterOperation.Delete(ClusterKeys.IpamLast(Network))]));
    }

    [Fact]
    public async Task Allocate_ThreeHostsFiftyEachAtOnce_NeverHandOutOneAddressTwice()
    {
        var subnet = Subnet.Parse("10.200.0.0/24");
        var hosts = Enumerable.Range(0, 3).Select(h => (Name: $"host{h}-{_id}", Ipam: new ClusterIpam(Open()))).ToList();

        var allocated = await Task.WhenAll(hosts.SelectMany(host => Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            host.Ipam.AllocateAsync(Network, "ov", subnet, null, null, host.Name, $"ep{i}", 0)))));

        Assert.Equal(150, allocated.Distinct().Count());
        Assert.All(allocated, a => Assert.True(subnet.Contains(a) && !a.Equals(subnet.Network) && !a.Equals(subnet.Broadcast)));
        var claims = await hosts[0].Ipam.ListAsync(Network);
        Assert.Equal(allocated.ToHashSet(), claims.Keys.ToHashSet());
        Assert.Equal(50, claims.Values.Count(c => c.Node == hosts[1].Name));
    }

    [Fact]
    public async Task Allocate_RequestedAddressHeldOnAnotherHost_IsForbiddenAndClaimsNothing()
    {
        var subnet = Subnet.Parse("10.201.0.0/24");
        var a = new ClusterIpam(Open());
        var b = new ClusterIpam(Open());
        await a.AllocateAsync(Network, "ov", subnet, null, IPAddress.Parse("10.201.0.9"), "A", "web", 0);

        var error = await Assert.ThrowsAsync<EngineException>(() =>
            b.AllocateAsync(Network, "ov", subnet, null, IPAddress.Parse("10.201.0.9"), "B", "db", 0));
        var outside = await Assert.ThrowsAsync<EngineException>(() =>
            b.AllocateAsync(Network, "ov", subnet, null, IPAddress.Parse("10.9.0.9"), "B", "db", 0));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal("Address already in use", error.Message);
        Assert.Equal(ErrorKind.InvalidArgument, outside.Kind);
        Assert.Equal("A", Assert.Single(await b.ListAsync(Network)).Value.Node);
    }

    [Fact]
    public async Task Allocate_PoolExhausted_SaysSo()
    {
        var subnet = Subnet.Parse("10.202.0.0/30");
        var ipam = new ClusterIpam(Open());
        await ipam.AllocateAsync(Network, "tiny", subnet, null, null, "A", "one", 0);
        await ipam.AllocateAsync(Network, "tiny", subnet, null, null, "A", "two", 0);

        var error = await Assert.ThrowsAsync<EngineException>(() => ipam.AllocateAsync(Network, "tiny", subnet, null, null, "A", "three", 0));

        Assert.Contains("no available IPv4 addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_ByTheHolder_FreesTheAddressAndByAnotherOwnerDoesNot()
    {
        var subnet = Subnet.Parse("10.203.0.0/24");
        var ipam = new ClusterIpam(Open());
        var first = await ipam.AllocateAsync(Network, "ov", subnet, null, null, "A", "web", 0);

        Assert.False(await ipam.ReleaseAsync(Network, first, "B", "web"));
        Assert.True(await ipam.ReleaseAsync(Network, first, "A", "web"));
        Assert.Empty(await ipam.ListAsync(Network));
        Assert.Equal(first, await ipam.AllocateAsync(Network, "ov", subnet, null, first, "B", "db", 0));
    }

    [Fact]
    public async Task Allocate_AfterARelease_HandsOutTheNextAddressNotTheFreedOne_AndWrapsAroundAtTheEnd()
    {
        var subnet = Subnet.Parse("10.206.0.0/29"); // .1 to .6
        var ipam = new ClusterIpam(Open());
        var first = await ipam.AllocateAsync(Network, "ov", subnet, null, null, "A", "one", 0);
        Assert.Equal(IPAddress.Parse("10.206.0.2"), await ipam.AllocateAsync(Network, "ov", subnet, null, null, "A", "two", 0));
        Assert.True(await ipam.ReleaseAsync(Network, first, "A", "one"));

        // Serial, as Docker's IPAM for swarm networks: the freed .1 is not handed out again while later ones are free.
        var next = new List<IPAddress>();
        for (var i = 0; i < 5; i++) next.Add(await ipam.AllocateAsync(Network, "ov", subnet, null, null, "B", $"ep{i}", 0));

        Assert.Equal(["10.206.0.3", "10.206.0.4", "10.206.0.5", "10.206.0.6", "10.206.0.1"], next.Select(a => a.ToString()));
    }

    [Fact]
    public async Task Reclaim_FreeOrOwnAddress_IsOursUnderTheNewLease_HeldByAnother_ReturnsTheHolder()
    {
        var subnet = Subnet.Parse("10.207.0.0/24");
        var node = await StartNodeAsync("a" + _id, "10.99.0.1");
        var ipam = new ClusterIpam(Open());
        var address = IPAddress.Parse("10.207.0.5");
        var other = IPAddress.Parse("10.207.0.6");
        await ipam.AllocateAsync(Network, "ov", subnet, null, other, "B", "db", 0);
        var key = ClusterKeys.Address(Network, address);

        Assert.Null(await ipam.ReclaimAsync(Network, address, node.Name, "web", node.Lease));
        Assert.Equal(node.Lease, (await Open().GetAsync(key))!.Lease);
        // Held by the same owner: attached to the lease given (as after a lease replacement).
        var fresh = await Open().GrantLeaseAsync(Ttl * 5);
        Assert.Null(await ipam.ReclaimAsync(Network, address, node.Name, "web", fresh));
        Assert.Equal(fresh, (await Open().GetAsync(key))!.Lease);

        Assert.Equal(new ClusterAddressClaim("B", "db"), await ipam.ReclaimAsync(Network, other, node.Name, "web", node.Lease));
        Assert.Equal("B", (await ipam.ListAsync(Network))[other].Node);
    }

    [Fact]
    public async Task NodeDies_LeaseExpires_NodeLeavesAndItsAddressesReturnToThePool()
    {
        var subnet = Subnet.Parse("10.204.0.0/24");
        var dying = await StartNodeAsync("a" + _id, "10.99.0.1");
        var survivor = await StartNodeAsync("b" + _id, "10.99.0.2");
        var ipam = new ClusterIpam(Open());
        var lost = await ipam.AllocateAsync(Network, "ov", subnet, null, null, dying.Name, "web", dying.Lease);
        var kept = await ipam.AllocateAsync(Network, "ov", subnet, null, null, survivor.Name, "db", survivor.Lease);

        // Dies: no more keep-alives, nothing revoked.
        await dying.StopAsync(revoke: false);

        await WaitUntilAsync(async () => !(await ipam.ListAsync(Network)).ContainsKey(lost), TimeSpan.FromSeconds(15));
        var nodes = (await survivor.ListAsync()).Select(n => n.Name).ToList();
        Assert.DoesNotContain(dying.Name, nodes);
        Assert.Contains(survivor.Name, nodes);
        Assert.True((await ipam.ListAsync(Network)).ContainsKey(kept), "the live node's address went too");
        Assert.Equal(lost, await ipam.AllocateAsync(Network, "ov", subnet, null, lost, survivor.Name, "again", survivor.Lease));
    }

    [Fact]
    public async Task Restart_WithinTheTtl_ResumesTheLeaseAndKeepsClaims()
    {
        var subnet = Subnet.Parse("10.205.0.0/24");
        var before = await StartNodeAsync("a" + _id, "10.99.0.1");
        var ipam = new ClusterIpam(Open());
        var address = await ipam.AllocateAsync(Network, "ov", subnet, null, null, before.Name, "web", before.Lease);
        await before.StopAsync(revoke: false);

        var after = await StartNodeAsync("a" + _id, "10.99.0.1", before.Lease);
        await Task.Delay(Ttl * 2);

        Assert.Equal(before.Lease, after.Lease);
        Assert.True((await ipam.ListAsync(Network)).ContainsKey(address));
        Assert.Contains(after.Name, (await after.ListAsync()).Select(n => n.Name));
    }

    [Fact]
    public async Task Start_NameHeldByAnotherLiveDaemon_IsAConflict()
    {
        await StartNodeAsync("a" + _id, "10.99.0.1");

        var error = await Assert.ThrowsAsync<EngineException>(() => StartNodeAsync("a" + _id, "10.99.0.7"));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("10.99.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaseLost_WhileRunning_RegistersAgainAndTellsTheOwnersOfLeasedKeys()
    {
        var node = await StartNodeAsync("a" + _id, "10.99.0.1");
        var old = node.Lease;
        var replaced = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.LeaseReplaced += lease =>
        {
            replaced.TrySetResult(lease);
            return Task.CompletedTask;
        };

        await Open().RevokeLeaseAsync(old);
        var lease = await replaced.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotEqual(old, lease);
        Assert.Equal(lease, node.Lease);
        Assert.Equal(lease, (await Open().GetAsync(ClusterKeys.Node(node.Name)))!.Lease);
    }

    private IClusterStore Open()
    {
        var store = OpenClient();
        _opened.Add(store);
        return store;
    }

    private async Task<ClusterNodeRegistry> StartNodeAsync(string name, string advertise, long previousLease = 0)
    {
        var registry = new ClusterNodeRegistry(Open(), name, advertise, Ttl, Heartbeat);
        _opened.Add(registry);
        await registry.StartAsync(previousLease);
        return registry;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met in {limit}");
            await Task.Delay(100);
        }
    }
}
