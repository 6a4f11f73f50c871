using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>Issue 18 §5 on the fake store: a host cut from the store (its own <see cref="CuttableClusterStore"/>)
/// for longer than its lease keeps its data plane and its peers keep theirs; once the cut heals it registers under a
/// new lease, claims its addresses again (or reports the one another host took), publishes its endpoints again and
/// lists its peers afresh.</summary>
public sealed partial class OverlayDriverTests
{
    private static readonly TimeSpan ShortTtl = TimeSpan.FromSeconds(1);
    private static readonly IPAddress VtepC = IPAddress.Parse("10.99.0.21");
    private static readonly IPAddress VtepD = IPAddress.Parse("10.99.0.22");

    [Fact]
    public async Task CutLongerThanTheLease_DataPlaneKept_HealedHostReclaimsRepublishesAndIsSeenAgain()
    {
        await using var c = await RegisteredHost.StartAsync(this, VtepC, Ttl);
        await using var d = await RegisteredHost.StartAsync(this, VtepD, ShortTtl);
        var (network, onD, c1, d1) = await TwoEndpointsAsync(c, d);
        var vxlan = OverlayDriver.VxlanOf(network);
        var oldLease = d.Registry.Lease;

        d.Store.Cut = true;
        await WaitUntilAsync(async () => await _store.GetAsync(ClusterKeys.Node(VtepD.ToString())) is null);

        // D's lease ran out: its claim and endpoint left the store, C no longer resolves its name, but both data
        // planes stay programmed, so traffic between c1 and d1 keeps flowing.
        Assert.Null(await _store.GetAsync(ClusterKeys.Address(network.Id, IPAddress.Parse("10.210.0.3"))));
        Assert.Null(await _store.GetAsync(ClusterKeys.Endpoint(network.Id, d1.EndpointId)));
        await WaitUntil(() => c.Driver.RemoteEndpointsOf(network).Count == 0);
        Assert.True(c.Has(vxlan, d1.MacAddress, IPAddress.Parse("10.210.0.3"), fdb: false) && c.Has(vxlan, d1.MacAddress, VtepD, fdb: true)
            && c.Has(vxlan, OverlayDriver.FloodMac, VtepD, fdb: true));
        Assert.True(d.Has(vxlan, c1.MacAddress, IPAddress.Parse("10.210.0.2"), fdb: false) && d.Has(vxlan, c1.MacAddress, VtepC, fdb: true));
        // A new endpoint meanwhile does not get D's address: the cluster hands addresses out serially.
        var c2 = Endpoint("02:42:0a:d2:00:40");
        await c.Driver.JoinAsync(network, c2, new EndpointJoin("/run/netns/c2", 0, [], null, null), default);
        Assert.Equal("10.210.0.4/24", c2.IPv4Address);

        d.Store.Cut = false;

        await WaitUntilAsync(async () => await _store.GetAsync(ClusterKeys.Endpoint(network.Id, d1.EndpointId)) is { } e && e.Lease == d.Registry.Lease);
        Assert.NotEqual(oldLease, d.Registry.Lease);
        Assert.Equal(d.Registry.Lease, (await _store.GetAsync(ClusterKeys.Node(VtepD.ToString())))!.Lease);
        var claim = (await _store.GetAsync(ClusterKeys.Address(network.Id, IPAddress.Parse("10.210.0.3"))))!;
        Assert.Equal(d.Registry.Lease, claim.Lease);
        Assert.Equal(ClusterIpam.ClaimOf(VtepD.ToString(), d1.EndpointId), claim.Value);
        Assert.Empty(d.Driver.AddressConflicts);
        // C resolves D's container again and still has it programmed once; D lists afresh and programs c2.
        await WaitUntil(() => c.Driver.RemoteEndpointsOf(network).Any(r => r.Names.Contains(d1.ContainerName)));
        Assert.Single(c.Netlink.Neighbours(vxlan, fdb: true), n => n.MacAddress == OverlayDriver.FloodMac);
        await WaitUntil(() => d.Has(vxlan, c2.MacAddress, IPAddress.Parse("10.210.0.4"), fdb: false));

        // Leaving afterwards takes every entry away on the other host (nothing kept twice).
        await d.Driver.LeaveAsync(onD, d1, null, default);
        await WaitUntil(() => !c.Netlink.Neighbours(vxlan, fdb: true).Any(n => VtepD.Equals(n.Destination)));
        await c.Driver.LeaveAsync(network, c1, null, default);
        await c.Driver.LeaveAsync(network, c2, null, default);
    }

    [Fact]
    public async Task CutLongerThanTheLease_AddressTakenMeanwhile_ConflictReportedEndpointNotPublished()
    {
        await using var c = await RegisteredHost.StartAsync(this, VtepC, Ttl);
        await using var d = await RegisteredHost.StartAsync(this, VtepD, ShortTtl);
        var (network, onD, c1, d1) = await TwoEndpointsAsync(c, d);
        var vxlan = OverlayDriver.VxlanOf(network);

        d.Store.Cut = true;
        await WaitUntilAsync(async () => await _store.GetAsync(ClusterKeys.Node(VtepD.ToString())) is null);
        // D's address asked for explicitly (--ip) on C while D is away: free in the store, so granted; the entries C
        // kept for d1 make way for its own endpoint.
        var taker = Endpoint("02:42:0a:d2:00:03");
        await c.Driver.JoinAsync(network, taker, Join("10.210.0.3"), default);
        Assert.Equal("10.210.0.3/24", taker.IPv4Address);
        await WaitUntil(() => !c.Has(vxlan, d1.MacAddress, IPAddress.Parse("10.210.0.3"), fdb: false));

        d.Store.Cut = false;

        await WaitUntil(() => d.Driver.AddressConflicts.ContainsKey(d1.EndpointId));
        Assert.Equal(new ClusterAddressClaim(VtepC.ToString(), taker.EndpointId), d.Driver.AddressConflicts[d1.EndpointId]);
        Assert.NotNull(await _store.GetAsync(ClusterKeys.Node(VtepD.ToString())));
        Assert.Null(await _store.GetAsync(ClusterKeys.Endpoint(network.Id, d1.EndpointId)));
        Assert.Equal(VtepC.ToString(), (await new ClusterIpam(_store).ListAsync(network.Id))[IPAddress.Parse("10.210.0.3")].Node);
        Assert.Empty(c.Driver.RemoteEndpointsOf(network));

        // The conflicted endpoint leaves without touching the taker's claim.
        await d.Driver.LeaveAsync(onD, d1, null, default);
        Assert.Empty(d.Driver.AddressConflicts);
        Assert.Equal(VtepC.ToString(), (await new ClusterIpam(_store).ListAsync(network.Id))[IPAddress.Parse("10.210.0.3")].Node);
        await c.Driver.LeaveAsync(network, taker, null, default);
        await c.Driver.LeaveAsync(network, c1, null, default);
    }

    [Fact]
    public async Task CutHost_AfterTheCut_ListsItsPeersAfresh_RemovedOnesGoAddedOnesCome()
    {
        await using var c = await RegisteredHost.StartAsync(this, VtepC, Ttl);
        await using var d = await RegisteredHost.StartAsync(this, VtepD, ShortTtl);
        var (network, _, c1, _) = await TwoEndpointsAsync(c, d);
        var vxlan = OverlayDriver.VxlanOf(network);

        d.Store.Cut = true;
        await c.Driver.LeaveAsync(network, c1, null, default);
        var c3 = Endpoint("02:42:0a:d2:00:30");
        await c.Driver.JoinAsync(network, c3, Join("10.210.0.30"), default);
        await WaitUntilAsync(async () => await _store.GetAsync(ClusterKeys.Node(VtepD.ToString())) is null);
        // D saw none of it while cut.
        Assert.True(d.Has(vxlan, c1.MacAddress, IPAddress.Parse("10.210.0.2"), fdb: false));

        d.Store.Cut = false;

        await WaitUntil(() => d.Has(vxlan, c3.MacAddress, IPAddress.Parse("10.210.0.30"), fdb: false) && d.Has(vxlan, c3.MacAddress, VtepC, fdb: true)
            && !d.Has(vxlan, c1.MacAddress, IPAddress.Parse("10.210.0.2"), fdb: false) && !d.Has(vxlan, c1.MacAddress, VtepC, fdb: true));
        Assert.Equal([c3.ContainerName], d.Driver.RemoteEndpointsOf(network).SelectMany(r => r.Names));
        await c.Driver.LeaveAsync(network, c3, null, default);
    }

    [Fact]
    public async Task PeerGoneWithItsLease_EntriesKeptForTheRetentionThenRemoved_ALeaveRemovesThemAtOnce()
    {
        await using var c = await RegisteredHost.StartAsync(this, VtepC, Ttl, retention: TimeSpan.FromMilliseconds(800));
        await using var d = await RegisteredHost.StartAsync(this, VtepD, Ttl);
        var (network, _, c1, d1) = await TwoEndpointsAsync(c, d);
        var vxlan = OverlayDriver.VxlanOf(network);

        // D dies: its daemon stops renewing and the lease ends (here at once rather than after the TTL).
        var lease = d.Registry.Lease;
        await d.DisposeAsync();
        await _store.RevokeLeaseAsync(lease);

        await WaitUntil(() => c.Driver.RemoteEndpointsOf(network).Count == 0);
        Assert.True(c.Has(vxlan, d1.MacAddress, IPAddress.Parse("10.210.0.3"), fdb: false));
        await WaitUntil(() => c.Netlink.Neighbours(vxlan, fdb: true).Count == 0 && c.Netlink.Neighbours(vxlan, fdb: false).Count == 0);
        await c.Driver.LeaveAsync(network, c1, null, default);
    }

    /// <summary>A network made on <paramref name="c"/>, with c1 (10.210.0.2) there and d1 (10.210.0.3) on
    /// <paramref name="d"/>, each programmed on the other host.</summary>
    private async Task<(NetworkRecord Network, NetworkRecord OnD, EndpointRecord C1, EndpointRecord D1)> TwoEndpointsAsync(RegisteredHost c, RegisteredHost d)
    {
        var network = Network("ovcut");
        await c.Driver.CreateAsync(network, default);
        var onD = Copy(network);
        var c1 = Endpoint("02:42:0a:d2:00:02");
        var d1 = Endpoint("02:42:0a:d2:00:03");
        await c.Driver.JoinAsync(network, c1, LocalChoice("10.210.0.2"), default);
        await d.Driver.JoinAsync(onD, d1, LocalChoice("10.210.0.3"), default);
        Assert.Equal(("10.210.0.2/24", "10.210.0.3/24"), (c1.IPv4Address, d1.IPv4Address));
        var vxlan = OverlayDriver.VxlanOf(network);
        await WaitUntil(() => c.Has(vxlan, d1.MacAddress, IPAddress.Parse("10.210.0.3"), fdb: false)
            && d.Has(vxlan, c1.MacAddress, IPAddress.Parse("10.210.0.2"), fdb: false));
        return (network, onD, c1, d1);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 15 s");
            await Task.Delay(20);
        }
    }

    /// <summary>A host registered as a daemon is (<see cref="ClusterNodeRegistry"/>, heartbeat a fifth of the TTL),
    /// through a store connection the test can cut.</summary>
    private sealed class RegisteredHost : IAsyncDisposable
    {
        private bool _disposed;

        private RegisteredHost(OverlayDriverTests test, IPAddress address, TimeSpan ttl, TimeSpan? retention)
        {
            Store = new CuttableClusterStore(test._store);
            Registry = new ClusterNodeRegistry(Store, address.ToString(), address.ToString(), ttl, ttl / 5);
            var context = new NetworkDriverContext(Netlink, test._dir.Combine(address.ToString()), 0, () => [], NullLogger.Instance);
            Driver = new OverlayDriver(context, Store, Registry, retention);
        }

        public CuttableClusterStore Store { get; }
        public ClusterNodeRegistry Registry { get; }
        public RecordingNetlink Netlink { get; } = new();
        public OverlayDriver Driver { get; }

        public static async Task<RegisteredHost> StartAsync(OverlayDriverTests test, IPAddress address, TimeSpan ttl, TimeSpan? retention = null)
        {
            var host = new RegisteredHost(test, address, ttl, retention);
            await host.Registry.StartAsync();
            return host;
        }

        public bool Has(string link, string mac, IPAddress destination, bool fdb)
        {
            while (true)
            {
                try
                {
                    return Netlink.Neighbours(link, fdb).Any(e => e.MacAddress == mac && destination.Equals(e.Destination));
                }
                catch (InvalidOperationException)
                {
                    // A follower changed the recording while we read it: look again.
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_disposed) return;
            _disposed = true;
            Store.Cut = false;
            await Driver.DisposeAsync();
            await Registry.DisposeAsync();
        }
    }
}
