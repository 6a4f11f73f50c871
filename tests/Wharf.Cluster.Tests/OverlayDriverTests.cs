using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>The overlay driver (issue 18 §3) on two "hosts" — each its own RecordingNetlink, node name and lease —
/// sharing one in-memory cluster store.</summary>
public sealed partial class OverlayDriverTests : IAsyncDisposable
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("wharf-overlay-driver");
    private readonly InMemoryClusterStore _store = new();
    private readonly Host _a;
    private readonly Host _b;

    public OverlayDriverTests()
    {
        _a = new Host(this, "10.99.0.11");
        _b = new Host(this, "10.99.0.12");
    }

    [Fact]
    public async Task Create_NewNetwork_StoresDefinitionAndDataPlaneComesWithFirstJoinAndGoesWithLast()
    {
        var network = Network("ov1");
        network.Labels["team"] = "blue";
        await _a.Driver.CreateAsync(network, default);

        Assert.Equal(OverlayDriver.BridgeOf(network), network.Interface);
        Assert.Equal("256", network.Options[OverlayDriver.VniOption]);
        var stored = System.Text.Json.JsonDocument.Parse((await _store.GetAsync(ClusterKeys.Network(network.Id)))!.Value).RootElement;
        Assert.Equal(("ov1", 256, "10.99.0.11", "blue", "10.210.0.1"),
            (stored.GetProperty("name").GetString(), stored.GetProperty("vni").GetInt32(), stored.GetProperty("node").GetString(),
             stored.GetProperty("labels").GetProperty("team").GetString(), stored.GetProperty("ipam")[0].GetProperty("gateway").GetString()));
        Assert.NotNull(await _store.GetAsync(ClusterKeys.NetworkName("ov1")));
        Assert.NotNull(await _store.GetAsync(ClusterKeys.Vni(OverlayDriver.FirstVni)));
        // No endpoint on this host yet: no bridge, no VXLAN device.
        Assert.DoesNotContain(network.Interface, _a.Netlink.Links);
        Assert.Empty(_a.Netlink.Vxlans);

        // A second network gets the next VNI.
        var second = Network("ov2");
        await _a.Driver.CreateAsync(second, default);
        Assert.Equal("257", second.Options[OverlayDriver.VniOption]);

        // The first endpoint on host B (which adopted the record) brings up B's data plane with the stored VNI, the
        // gateway on the bridge; two endpoints there, the second leave takes it down.
        var onB = Copy(network);
        var first = Endpoint("02:42:0a:d2:00:02");
        var other = Endpoint("02:42:0a:d2:00:03");
        await _b.Driver.JoinAsync(onB, first, Join("10.210.0.2"), default);
        await _b.Driver.JoinAsync(onB, other, Join("10.210.0.3"), default);
        var vxlan = _b.Netlink.Vxlans[OverlayDriver.VxlanOf(network)];
        Assert.Equal((OverlayDriver.FirstVni, IPAddress.Parse("10.99.0.12"), 4789, 1450, network.Interface), (vxlan.Vni, vxlan.Local, vxlan.Port, vxlan.Mtu, vxlan.Master));
        Assert.Contains($"bridge {network.Interface} 10.210.0.1/24", _b.Netlink.Calls.ToArray());
        Assert.Single(_b.Netlink.Calls.ToArray(), c => c.StartsWith("vxlan ", StringComparison.Ordinal));

        await _b.Driver.LeaveAsync(onB, first, null, default);
        Assert.Contains(network.Interface, _b.Netlink.Links);
        await _b.Driver.LeaveAsync(onB, other, null, default);
        Assert.DoesNotContain(network.Interface, _b.Netlink.Links);
        Assert.DoesNotContain(OverlayDriver.VxlanOf(network), _b.Netlink.Links);
        Assert.DoesNotContain(network.Interface, _a.Netlink.Links);
    }

    [Fact]
    public async Task Join_NoLocalChoice_ClusterNeverHandsOutTheGateway()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var endpoint = Endpoint("02:42:0a:d2:00:09");

        await _a.Driver.JoinAsync(network, endpoint, new EndpointJoin("/run/netns/a1", 0, [], null, null), default);

        Assert.Equal("10.210.0.2/24", endpoint.IPv4Address);
        await _a.Driver.LeaveAsync(network, endpoint, null, default);
    }

    [Fact]
    public async Task Create_SameNameOnTwoHostsAtOnce_OneNetworkAndOneConflict()
    {
        for (var round = 0; round < 10; round++)
        {
            var name = "race" + round;
            var results = await Task.WhenAll(
                Task.Run(async () => await Attempt(_a, Network(name))),
                Task.Run(async () => await Attempt(_b, Network(name))));

            Assert.Single(results, r => r is null);
            var error = Assert.Single(results, r => r is not null)!;
            Assert.Equal(ErrorKind.Conflict, error.Kind);
            Assert.Contains($"network with name {name} already exists", error.Message, StringComparison.Ordinal);
            Assert.Single((await _store.ListAsync(ClusterKeys.NetworksRoot)).Entries, e => e.Value.Length > 0 && System.Text.Encoding.UTF8.GetString(e.Value).Contains($"\"name\":\"{name}\"", StringComparison.Ordinal));
        }

        // Every network has its own VNI.
        var vnis = (await _store.ListAsync(ClusterKeys.Vnis)).Entries.Select(e => e.Key).ToList();
        Assert.Equal(10, vnis.Distinct().Count());
    }

    [Fact]
    public async Task Join_EndpointOnHostA_ProgrammedOnHostBAndRemovedOnLeave()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var onB = Copy(network);
        var vxlanB = OverlayDriver.VxlanOf(onB);
        // B programs peers while it has an endpoint of its own on the network.
        var local = Endpoint("02:42:0a:d2:00:09");
        await _b.Driver.JoinAsync(onB, local, Join("10.210.0.9"), default);

        var endpoint = Endpoint("02:42:0a:d2:00:02");
        var interfaces = await _a.Driver.JoinAsync(network, endpoint, Join("10.210.0.2"), default);

        Assert.Equal("10.210.0.2/24", endpoint.IPv4Address);
        var veth = Assert.Single(_a.Netlink.Created, l => l.Kind == "veth");
        Assert.Equal((network.Interface, 1450, "/run/netns/a1"), (veth.Master, veth.Mtu, veth.NamespacePath));
        Assert.Equal(IPAddress.Parse("10.210.0.2"), Assert.Single(Assert.Single(interfaces).Addresses).Address);
        var vtepA = IPAddress.Parse("10.99.0.11");
        await WaitUntil(() => _b.Has(vxlanB, OverlayDriver.FloodMac, vtepA, fdb: true)
            && _b.Has(vxlanB, endpoint.MacAddress, vtepA, fdb: true)
            && _b.Has(vxlanB, endpoint.MacAddress, IPAddress.Parse("10.210.0.2"), fdb: false));
        // Host A does not program its own endpoint as a peer.
        await WaitUntil(() => _a.Has(OverlayDriver.VxlanOf(network), local.MacAddress, IPAddress.Parse("10.99.0.12"), fdb: true));
        Assert.DoesNotContain(_a.Netlink.Neighbours(OverlayDriver.VxlanOf(network), fdb: true), e => e.MacAddress == endpoint.MacAddress);

        await _a.Driver.LeaveAsync(network, endpoint, "/run/netns/a1", default);

        await WaitUntil(() => _b.Netlink.Neighbours(vxlanB, fdb: true).Count == 0 && _b.Netlink.Neighbours(vxlanB, fdb: false).Count == 0);
        Assert.DoesNotContain(endpoint.HostInterface, _a.Netlink.Links);
        await _b.Driver.LeaveAsync(onB, local, null, default);
        Assert.Empty((await _store.ListAsync(ClusterKeys.Endpoints(network.Id))).Entries);
        Assert.Empty((await _store.ListAsync(ClusterKeys.Addresses(network.Id))).Entries);
    }

    [Fact]
    public async Task Join_SameLocalChoiceOnTwoHosts_ClusterGivesDifferentAddresses()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var onB = Copy(network);
        await _b.Driver.CreateAsync(onB, default);

        // Both services picked 10.210.0.2 from their local view; the cluster hands B another one.
        var first = Endpoint("02:42:0a:d2:00:02");
        var second = Endpoint("02:42:0a:d2:00:02");
        await _a.Driver.JoinAsync(network, first, LocalChoice("10.210.0.2"), default);
        var interfaces = await _b.Driver.JoinAsync(onB, second, LocalChoice("10.210.0.2"), default);

        Assert.Equal("10.210.0.2/24", first.IPv4Address);
        Assert.NotEqual("10.210.0.2/24", second.IPv4Address);
        // B's MAC was derived from its local choice (A's address): it follows the address B got, never A's MAC.
        Assert.Equal(OverlayDriver.DerivedMac(NetworkService.ParseCidr(second.IPv4Address).Address), second.MacAddress);
        Assert.Equal(second.IPv4Address, Assert.Single(Assert.Single(interfaces).Addresses).ToString());

        // Each host programs the other's endpoint, with one flood entry per peer VTEP.
        await WaitUntil(() => _a.Has(OverlayDriver.VxlanOf(network), second.MacAddress, IPAddress.Parse("10.99.0.12"), fdb: true)
            && _b.Has(OverlayDriver.VxlanOf(onB), first.MacAddress, IPAddress.Parse("10.99.0.11"), fdb: true));
        await _a.Driver.LeaveAsync(network, first, null, default);
        await _b.Driver.LeaveAsync(onB, second, null, default);
    }

    [Fact]
    public async Task Remove_WhileAnotherHostHasEndpoints_RefusedThenDeletesEverything()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var onB = Copy(network);
        await _b.Driver.CreateAsync(onB, default);
        var endpoint = Endpoint("02:42:0a:d2:00:02");
        await _b.Driver.JoinAsync(onB, endpoint, Join("10.210.0.2"), default);

        var error = await Assert.ThrowsAsync<EngineException>(async () => await _a.Driver.BeginRemovalAsync(network, default));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("has active endpoints on 10.99.0.12", error.Message, StringComparison.Ordinal);
        // The refused removal left no mark: B joins again at once.
        Assert.Empty((await _store.ListAsync(ClusterKeys.RemovingRoot)).Entries);

        await _b.Driver.LeaveAsync(onB, endpoint, null, default);
        var removal = await _a.Driver.BeginRemovalAsync(network, default);
        Assert.NotNull(removal);
        await removal.CommitAsync(default);
        await removal.DisposeAsync();
        await _a.Driver.DeleteAsync(network, default);
        await _b.Driver.DeleteAsync(onB, default);

        Assert.DoesNotContain((await _store.ListAsync(ClusterKeys.Root)).Entries, e => !e.Key.StartsWith(ClusterKeys.Nodes, StringComparison.Ordinal));
        Assert.DoesNotContain(OverlayDriver.VxlanOf(network), _a.Netlink.Links);
        Assert.DoesNotContain(network.Interface, _a.Netlink.Links);
        Assert.DoesNotContain(OverlayDriver.VxlanOf(onB), _b.Netlink.Links);
        // Removed from the store: beginning again says so (null), and the name is free again.
        Assert.Null(await _b.Driver.BeginRemovalAsync(onB, default));
        await _b.Driver.CreateAsync(Network("ov1"), default);
    }

    [Fact]
    public async Task Removal_Begun_RefusesJoinsOnEveryHost_Aborted_AcceptsThemAgain_Committed_NotFound()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var onB = Copy(network);

        var removal = await _a.Driver.BeginRemovalAsync(network, default);
        Assert.NotNull(removal);
        // A second removal meanwhile (from any host) is a conflict, not a second decision.
        var twice = await Assert.ThrowsAsync<EngineException>(async () => await _b.Driver.BeginRemovalAsync(onB, default));
        Assert.Equal(ErrorKind.Conflict, twice.Kind);
        var refused = await Assert.ThrowsAsync<EngineException>(async () => await _b.Driver.JoinAsync(onB, Endpoint("02:42:0a:d2:00:02"), Join("10.210.0.2"), default));
        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.Contains("is being removed", refused.Message, StringComparison.Ordinal);
        // Nothing of the refused join stays: no claim, no endpoint, no data plane on B.
        Assert.Empty((await _store.ListAsync(ClusterKeys.Addresses(network.Id))).Entries);
        Assert.Empty((await _store.ListAsync(ClusterKeys.Endpoints(network.Id))).Entries);
        Assert.DoesNotContain(OverlayDriver.VxlanOf(onB), _b.Netlink.Links);

        await removal.DisposeAsync();
        Assert.Empty((await _store.ListAsync(ClusterKeys.RemovingRoot)).Entries);
        var joined = Endpoint("02:42:0a:d2:00:03");
        await _b.Driver.JoinAsync(onB, joined, Join("10.210.0.3"), default);
        await _b.Driver.LeaveAsync(onB, joined, null, default);

        removal = await _a.Driver.BeginRemovalAsync(network, default);
        await removal!.CommitAsync(default);
        await removal.DisposeAsync();
        var gone = await Assert.ThrowsAsync<EngineException>(async () => await _b.Driver.JoinAsync(onB, Endpoint("02:42:0a:d2:00:04"), Join("10.210.0.4"), default));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
        Assert.Equal("network ov1 not found", gone.Message);
        Assert.DoesNotContain((await _store.ListAsync(ClusterKeys.Root)).Entries, e => !e.Key.StartsWith(ClusterKeys.Nodes, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Removal_StoreUnreachable_ChangesNothing_MarkOfADeadRemoverExpires()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var before = (await _store.ListAsync(ClusterKeys.Root)).Entries.Select(e => e.Key).ToList();

        _store.Unavailable = true;
        await Assert.ThrowsAsync<Wharf.Core.Cluster.ClusterStoreException>(async () => await _a.Driver.BeginRemovalAsync(network, default));
        _store.Unavailable = false;
        Assert.Equal(before, (await _store.ListAsync(ClusterKeys.Root)).Entries.Select(e => e.Key).ToList());

        // A remover that dies between its mark and its commit: the mark lives under a short lease of its own.
        var removal = await _a.Driver.BeginRemovalAsync(network, default);
        Assert.NotNull(removal);
        var mark = Assert.Single((await _store.ListAsync(ClusterKeys.RemovingRoot)).Entries);
        Assert.NotEqual(0, mark.Lease);
        await _store.RevokeLeaseAsync(mark.Lease); // what its expiry does
        var onB = Copy(network);
        var joined = Endpoint("02:42:0a:d2:00:02");
        await _b.Driver.JoinAsync(onB, joined, Join("10.210.0.2"), default);
        // Its commit now finds its mark gone: refused, the network stays whole.
        var late = await Assert.ThrowsAsync<EngineException>(async () => await removal.CommitAsync(default));
        Assert.Equal(ErrorKind.Unavailable, late.Kind);
        await removal.DisposeAsync();
        Assert.NotNull(await _store.GetAsync(ClusterKeys.Network(network.Id)));
        Assert.Single((await _store.ListAsync(ClusterKeys.Endpoints(network.Id))).Entries);
        await _b.Driver.LeaveAsync(onB, joined, null, default);
    }

    [Fact]
    public async Task Service_WithOverlayDriver_CreatesGlobalNetworkAndJoinsThroughClusterIpam()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("svc"), ExecRoot = _dir.Combine("svc-exec"), DefaultBridge = "wovs0", ChainPrefix = "wo2" },
            _a.Netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System,
            drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), new OverlayDriver(context, _store, "10.99.0.11", IPAddress.Parse("10.99.0.11"), () => _a.Lease)]);
        service.Initialize();

        var network = service.Create(new NetworkCreateParams(
            "ovs", "overlay", false, true, false, [new IpamPool { Subnet = "10.211.0.0/24" }],
            new Dictionary<string, string>(), new Dictionary<string, string>()));
        var duplicate = Assert.Throws<EngineException>(() => _b.Driver.CreateAsync(Network("ovs"), default).AsTask().GetAwaiter().GetResult());

        Assert.Equal(ErrorKind.Conflict, duplicate.Kind);
        Assert.Equal("overlay", network.Driver);
        Assert.NotNull(await _store.GetAsync(ClusterKeys.Network(network.Id)));
        service.Remove(network.Id);
        Assert.Null(await _store.GetAsync(ClusterKeys.Network(network.Id)));
        Assert.DoesNotContain(OverlayDriver.VxlanOf(network), _a.Netlink.Links);
    }

    [Fact]
    public async Task Prune_OverlayInUseElsewhereOrStoreDown_KeptAndOtherNetworksPruned()
    {
        using var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("prune"), ExecRoot = _dir.Combine("prune-exec"), DefaultBridge = "wovp0", ChainPrefix = "wo3" },
            _a.Netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System,
            drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), new OverlayDriver(context, _store, "10.99.0.11", IPAddress.Parse("10.99.0.11"), () => _a.Lease)]);
        service.Initialize();
        var overlay = service.Create(new NetworkCreateParams(
            "ovp", "overlay", false, true, false, [new IpamPool { Subnet = "10.212.0.0/24" }],
            new Dictionary<string, string>(), new Dictionary<string, string>()));
        var onB = Copy(overlay);
        await _b.Driver.CreateAsync(onB, default);
        var endpoint = Endpoint("02:42:0a:d4:00:02");
        await _b.Driver.JoinAsync(onB, endpoint, Join("10.212.0.2"), default);
        service.Create(new NetworkCreateParams("plain", "bridge", false, true, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()));

        Assert.Equal(["plain"], service.Prune(_ => true));
        Assert.Contains(service.All(), n => n.Id == overlay.Id);

        await _b.Driver.LeaveAsync(onB, endpoint, null, default);
        _store.Unavailable = true;
        try
        {
            Assert.Empty(service.Prune(_ => true));
            Assert.Contains(service.All(), n => n.Id == overlay.Id);
        }
        finally
        {
            _store.Unavailable = false;
        }

        Assert.Equal(["ovp"], service.Prune(_ => true));
        await _b.Driver.DeleteAsync(onB, default);
        Assert.Null(await _store.GetAsync(ClusterKeys.Network(overlay.Id)));
    }

    public async ValueTask DisposeAsync()
    {
        await _a.Driver.DisposeAsync();
        await _b.Driver.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task<EngineException?> Attempt(Host host, NetworkRecord network)
    {
        try
        {
            await host.Driver.CreateAsync(network, default);
            return null;
        }
        catch (EngineException e)
        {
            return e;
        }
    }

    private static NetworkRecord Network(string name) => new()
    {
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        Name = name,
        Driver = OverlayDriver.DriverName,
        Ipam = [new IpamPool { Subnet = "10.210.0.0/24", Gateway = "10.210.0.1" }],
    };

    private static NetworkRecord Copy(NetworkRecord network) => new()
    {
        Id = network.Id, Name = network.Name, Driver = network.Driver, Ipam = [.. network.Ipam], Options = new(network.Options),
    };

    private static EndpointRecord Endpoint(string mac)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new EndpointRecord { ContainerId = id, ContainerName = "c" + id[..4], EndpointId = id, InterfaceName = "eth0", MacAddress = mac };
    }

    /// <summary>A join asking for <paramref name="address"/> (--ip): the cluster gives exactly it or refuses.</summary>
    private static EndpointJoin Join(string address) => LocalChoice(address) with { StaticIPv4 = true };

    /// <summary>A join carrying the local IPAM's choice only: the cluster allocates (serially) on its own.</summary>
    private static EndpointJoin LocalChoice(string address) =>
        new("/run/netns/a1", 0, [new NetAddress(IPAddress.Parse(address), 24)], null, null);

    [Fact]
    public async Task Join_AddressAskedForHeldOnAnotherHost_IsForbidden_ALocalChoiceIsNot()
    {
        var network = Network("ov1");
        await _a.Driver.CreateAsync(network, default);
        var onB = Copy(network);
        var held = Endpoint("02:42:0a:d2:00:07");
        await _a.Driver.JoinAsync(network, held, Join("10.210.0.7"), default);

        var refused = await Assert.ThrowsAsync<EngineException>(async () => await _b.Driver.JoinAsync(onB, Endpoint("02:42:0a:d2:00:07"), Join("10.210.0.7"), default));

        Assert.Equal((ErrorKind.Forbidden, "Address already in use"), (refused.Kind, refused.Message));
        Assert.Single((await _store.ListAsync(ClusterKeys.Endpoints(network.Id))).Entries);
        await _a.Driver.LeaveAsync(network, held, null, default);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (InvalidOperationException)
            {
                // The follower changed the recording while we read it: look again.
            }

            Assert.True(DateTime.UtcNow < deadline, "condition not met in 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class Host
    {
        public Host(OverlayDriverTests test, string address)
        {
            Lease = test._store.GrantLeaseAsync(Ttl).GetAwaiter().GetResult();
            // Registered as a daemon is (its node key under its lease): peers tell a leave from a lost lease by it.
            test._store.PutAsync(ClusterKeys.Node(address), System.Text.Encoding.UTF8.GetBytes(
                $"{{\"name\":\"{address}\",\"advertiseAddress\":\"{address}\"}}"), Lease).GetAwaiter().GetResult();
            var context = new NetworkDriverContext(Netlink, test._dir.Combine(address), 0, () => [], NullLogger.Instance);
            Driver = new OverlayDriver(context, test._store, address, IPAddress.Parse(address), () => Lease);
        }

        public RecordingNetlink Netlink { get; } = new();
        public OverlayDriver Driver { get; }
        public long Lease { get; }

        public bool Has(string link, string mac, IPAddress destination, bool fdb) =>
            Netlink.Neighbours(link, fdb).Any(e => e.MacAddress == mac && destination.Equals(e.Destination));
    }
}
