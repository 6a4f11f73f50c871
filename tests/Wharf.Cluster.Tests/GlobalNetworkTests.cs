using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Engine.Cluster;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.TestKit;

namespace Wharf.Cluster.Tests;

/// <summary>Global networks across two daemons' network services (issue 18 §2, §4) sharing one in-memory cluster
/// store, each with its overlay driver and network catalog: a network created on A is adopted by B, used there,
/// refused removal while any host has endpoints, gone everywhere after; names resolve across the hosts.</summary>
public sealed class GlobalNetworkTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("wharf-global-networks");
    private readonly InMemoryClusterStore _store = new();
    private readonly Daemon _a;
    private readonly Daemon _b;

    public GlobalNetworkTests()
    {
        _a = new Daemon(this, "10.99.0.11", "wga0", "wg1");
        _b = new Daemon(this, "10.99.0.12", "wgb0", "wg2");
    }

    [Fact]
    public async Task NetworkCreatedOnA_SeenAndUsableOnB_RemovalRefusedWhileInUse_ThenGoneEverywhere()
    {
        var created = _a.Service.Create(new NetworkCreateParams(
            "ovg", "overlay", false, true, false, [new IpamPool { Subnet = "10.213.0.0/24" }],
            new Dictionary<string, string>(), new Dictionary<string, string> { ["team"] = "blue" }));
        Assert.Equal("global", _a.Service.ScopeOf(created));

        var onB = await WaitFor(() => _b.Service.TryGet("ovg", out var n) ? n : null);
        Assert.Equal((created.Id, "overlay", "global", "10.213.0.0/24", "10.213.0.1", "blue", true),
            (onB.Id, onB.Driver, _b.Service.ScopeOf(onB), onB.Ipam[0].Subnet, onB.Ipam[0].Gateway, onB.Labels["team"], onB.Attachable));
        Assert.DoesNotContain(OverlayDriver.BridgeOf(onB), _b.Netlink.Links);

        var a1 = _a.Service.Connect("ovg", Id('a'), "web-a", "", new EndpointRequest { Aliases = ["api"] }, "/ns/a1", true);
        var b1 = _b.Service.Connect("ovg", Id('b'), "web-b", "", new EndpointRequest(), "/ns/b1", true);
        Assert.NotEqual(a1.IPv4Address, b1.IPv4Address);
        Assert.Contains($"bridge {OverlayDriver.BridgeOf(onB)} 10.213.0.1/24", _b.Netlink.Calls.ToArray());

        // Names across hosts: B's container finds A's by name and alias, and A's finds B's.
        var addressA = NetworkService.ParseCidr(a1.IPv4Address).Address;
        var addressB = NetworkService.ParseCidr(b1.IPv4Address).Address;
        await WaitFor(() => Resolve(_b, "api", addressB) is { } found && found.Equals(addressA) ? found : null);
        Assert.Equal(addressA, Resolve(_b, "web-a", addressB));
        Assert.Equal(addressA, Resolve(_b, a1.ContainerId[..12], addressB));
        await WaitFor(() => Resolve(_a, "web-b", addressA));
        Assert.Equal(addressB, Resolve(_a, "web-b", addressA));

        // Removal: refused on either host while any host has an endpoint.
        var fromB = Assert.Throws<EngineException>(() => _b.Service.Remove("ovg"));
        Assert.Equal(ErrorKind.Forbidden, fromB.Kind);
        var fromA = Assert.Throws<EngineException>(() => _a.Service.Remove("ovg"));
        Assert.Equal(ErrorKind.Forbidden, fromA.Kind);

        _a.Service.Disconnect("ovg", a1.ContainerId, "/ns/a1");
        Assert.DoesNotContain(OverlayDriver.BridgeOf(onB), _a.Netlink.Links);
        await WaitFor(() => Resolve(_b, "web-a", addressB) is null ? "gone" : null);
        var stillOnB = Assert.Throws<EngineException>(() => _a.Service.Remove("ovg"));
        Assert.Contains("has active endpoints on 10.99.0.12", stillOnB.Message, StringComparison.Ordinal);

        _b.Service.Disconnect("ovg", b1.ContainerId, "/ns/b1");
        Assert.DoesNotContain(OverlayDriver.BridgeOf(onB), _b.Netlink.Links);
        Assert.DoesNotContain(OverlayDriver.VxlanOf(onB), _b.Netlink.Links);
        _b.Service.Remove("ovg");

        await WaitFor(() => _a.Service.TryGet(created.Id, out _) ? null : "gone");
        Assert.False(File.Exists(Path.Combine(_a.DataRoot, "network", created.Id + ".json")));
        // Nothing of the network left; only the two daemons' registrations.
        Assert.All((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries, e => Assert.StartsWith(Wharf.Engine.Cluster.ClusterKeys.Nodes, e.Key, StringComparison.Ordinal));
    }

    [Fact]
    public void Join_CarryingTheDefaultRoute_SecondInterfaceOnTheGatewayBridge_UnlessInternal()
    {
        _a.Service.Create(new NetworkCreateParams("out", "overlay", false, true, false, [new IpamPool { Subnet = "10.214.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        _a.Service.Create(new NetworkCreateParams("sealed", "overlay", true, true, false, [new IpamPool { Subnet = "10.215.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));

        var routed = _a.Service.Connect("out", Id('c'), "routed", "", new EndpointRequest(), "/ns/c", defaultRoute: true);
        var second = _a.Service.Connect("out", Id('d'), "second", "", new EndpointRequest(), "/ns/d", defaultRoute: true);
        var isolated = _a.Service.Connect("sealed", Id('e'), "isolated", "", new EndpointRequest(), "/ns/e", defaultRoute: true);

        var configured = _a.Netlink.Configured["/ns/c"];
        var outbound = Assert.Single(configured, i => i.Name == OverlayGatewayBridge.InterfaceName);
        var subnet = Wharf.Engine.Networks.Subnet.Parse(File.ReadAllText(Path.Combine(_a.DataRoot, "network", "overlay-gwbridge")).Trim());
        Assert.Equal(subnet.At(1), outbound.Gateway);
        Assert.True(subnet.Contains(Assert.Single(outbound.Addresses).Address));
        Assert.Null(Assert.Single(configured, i => i.Name == "eth0").Gateway);
        Assert.Contains($"bridge {OverlayGatewayBridge.Name} {subnet.At(1)}/{subnet.PrefixLength}", _a.Netlink.Calls.ToArray());
        Assert.NotEqual(routed.DriverState[OverlayGatewayBridge.AddressKey], second.DriverState[OverlayGatewayBridge.AddressKey]);
        // --internal: the overlay only.
        Assert.DoesNotContain(_a.Netlink.Configured["/ns/e"], i => i.Name == OverlayGatewayBridge.InterfaceName);
        Assert.False(isolated.DriverState.ContainsKey(OverlayGatewayBridge.HostInterfaceKey));
        // Masquerade out of the gateway bridge is among the wanted rules.
        Assert.Contains(_a.Service.WantedRules(), r => r.Line == $"-A POSTROUTING -s {subnet} ! -o {OverlayGatewayBridge.Name} -j MASQUERADE");

        _a.Service.Disconnect("out", routed.ContainerId, "/ns/c");
        Assert.Contains($"delete {routed.DriverState[OverlayGatewayBridge.HostInterfaceKey]}", _a.Netlink.Calls.ToArray());
        _a.Service.Disconnect("out", second.ContainerId, "/ns/d");
        _a.Service.Disconnect("sealed", isolated.ContainerId, "/ns/e");
    }

    [Fact]
    public async Task CatalogStartingLate_AdoptsWhatIsThereAndForgetsWhatWentMeanwhile()
    {
        await _b.Catalog.DisposeAsync();
        var kept = _a.Service.Create(new NetworkCreateParams("kept", "overlay", false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var gone = _a.Service.Create(new NetworkCreateParams("gone", "overlay", false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()));
        // B knew "gone" (adopted before it stopped following), then it was removed while B was not listening.
        Assert.True(_b.Service.AdoptGlobal((await Stored(gone.Id)).ToRecord()));
        _a.Service.Remove("gone");

        await using var late = new GlobalNetworkCatalog(_store, _b.Service, "10.99.0.12", NullLogger.Instance);
        late.Start();
        await late.Synchronized.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(_b.Service.TryGet("kept", out var adopted));
        Assert.Equal(kept.Id, adopted.Id);
        Assert.False(_b.Service.TryGet("gone", out _));
    }

    [Fact]
    public async Task RemoveOnA_RacingJoinOnB_ExactlyOneWins_NeverAnEndpointOnAGoneNetworkNorAHalfRemovedOne()
    {
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var round = 0; round < 30; round++)
        {
            var name = $"race{round}";
            var network = _a.Service.Create(new NetworkCreateParams(
                name, "overlay", false, true, false, [new IpamPool { Subnet = $"10.216.{round}.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
            await WaitFor(() => _b.Service.TryGet(name, out var n) ? n : null);
            var container = new string((char)('a' + (round % 26)), 64);

            using var start = new ManualResetEventSlim();
            var remove = Task.Run(() => { start.Wait(); _a.Service.Remove(name); });
            var join = Task.Run(() => { start.Wait(); return _b.Service.Connect(name, container, $"r{round}", "", new EndpointRequest(), $"/ns/r{round}", true); });
            start.Set();
            var removeError = await Record(remove);
            var joinError = await Record(join);

            var keys = (await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries.Select(e => e.Key + "=" + e.ValueText).ToList();
            if (removeError is null)
            {
                // The removal won: the join was refused (the network gone or being removed), nothing of either is left
                // in the store or on B.
                var refused = Assert.IsType<EngineException>(joinError);
                Assert.Contains(refused.Kind, new[] { ErrorKind.NotFound, ErrorKind.Conflict });
                Assert.DoesNotContain(keys, k => k.Contains(network.Id, StringComparison.Ordinal) || k.Contains(name, StringComparison.Ordinal));
                await WaitFor(() => _b.Service.TryGet(network.Id, out _) ? null : "forgotten");
                Assert.DoesNotContain(OverlayDriver.VxlanOf(network), _b.Netlink.Links);
                outcomes["removed"] = outcomes.GetValueOrDefault("removed") + 1;
            }
            else
            {
                // The join won: the removal was refused in Docker's words and the network is whole, with B's endpoint.
                Assert.Null(joinError);
                var refused = Assert.IsType<EngineException>(removeError);
                Assert.Equal(ErrorKind.Forbidden, refused.Kind);
                Assert.Contains("has active endpoints", refused.Message, StringComparison.Ordinal);
                Assert.Contains(keys, k => k.StartsWith(Wharf.Engine.Cluster.ClusterKeys.Network(network.Id), StringComparison.Ordinal));
                Assert.Contains(keys, k => k.StartsWith(Wharf.Engine.Cluster.ClusterKeys.Endpoints(network.Id), StringComparison.Ordinal));
                Assert.DoesNotContain(keys, k => k.StartsWith(Wharf.Engine.Cluster.ClusterKeys.RemovingRoot, StringComparison.Ordinal));
                Assert.True(_a.Service.TryGet(network.Id, out _));
                _b.Service.Disconnect(name, container, $"/ns/r{round}");
                _a.Service.Remove(name);
                await WaitFor(() => _b.Service.TryGet(network.Id, out _) ? null : "forgotten");
                outcomes["joined"] = outcomes.GetValueOrDefault("joined") + 1;
            }
        }

        Assert.Empty((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.NetworksRoot)).Entries);
        Assert.Empty((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Ipam)).Entries);
        Assert.Empty((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.EndpointsRoot)).Entries);
        Console.WriteLine($"rm vs join race, 30 rounds: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}");
    }

    [Fact]
    public async Task Remove_StoreUnreachable_503AndNothingChanged_Neither_Here_NorInTheStore()
    {
        var network = _a.Service.Create(new NetworkCreateParams(
            "kept", "overlay", false, true, false, [new IpamPool { Subnet = "10.217.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var before = (await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries.Select(e => e.Key).ToList();

        _store.Unavailable = true;
        Assert.Throws<Wharf.Core.Cluster.ClusterStoreException>(() => _a.Service.Remove("kept"));
        _store.Unavailable = false;

        Assert.True(_a.Service.TryGet("kept", out var still));
        Assert.Same(network, still);
        Assert.True(File.Exists(Path.Combine(_a.DataRoot, "network", network.Id + ".json")));
        Assert.Equal(before, (await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries.Select(e => e.Key).ToList());
        _a.Service.Remove("kept");
        Assert.DoesNotContain((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries, e => e.Key.Contains(network.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndpointRequestAtCreate_GlobalNetwork_RefusedWhileTheStoreIsAwayOrTheNetworkGone()
    {
        _a.Service.Create(new NetworkCreateParams(
            "ask", "overlay", false, true, false, [new IpamPool { Subnet = "10.219.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        await WaitFor(() => _b.Service.TryGet("ask", out var n) ? n : null);
        _b.Service.CheckEndpointRequest("ask", new EndpointRequest());

        // The store away: a clear 503 at create, before any container exists (not a container that cannot start).
        _store.Unavailable = true;
        Assert.Throws<Wharf.Core.Cluster.ClusterStoreException>(() => _b.Service.CheckEndpointRequest("ask", new EndpointRequest()));
        _store.Unavailable = false;

        // Removed on A while B's catalog has not caught up yet: "not found", as for any missing network.
        await _b.Catalog.DisposeAsync();
        _a.Service.Remove("ask");
        var gone = Assert.Throws<EngineException>(() => _b.Service.CheckEndpointRequest("ask", new EndpointRequest()));
        Assert.Equal((ErrorKind.NotFound, "network ask not found"), (gone.Kind, gone.Message));
    }

    [Fact]
    public async Task Prune_RemovesGlobalNetworksUnusedEverywhere_FromTheStore_KeepsThoseAnotherHostUses()
    {
        var create = (string name, int third) => _a.Service.Create(new NetworkCreateParams(
            name, "overlay", false, true, false, [new IpamPool { Subnet = $"10.218.{third}.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        var usedOnB = create("used-on-b", 1);
        var unused = create("unused", 2);
        var usedOnA = create("used-on-a", 3);
        var local = _a.Service.Create(new NetworkCreateParams("plain", "bridge", false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()));
        await WaitFor(() => _b.Service.TryGet("used-on-a", out var n) ? n : null);
        await WaitFor(() => _b.Service.TryGet("used-on-b", out var n) ? n : null);
        await WaitFor(() => _b.Service.TryGet("unused", out var n) ? n : null);
        var onB = _b.Service.Connect("used-on-b", Id('b'), "web-b", "", new EndpointRequest(), "/ns/b", true);
        var onA = _a.Service.Connect("used-on-a", Id('a'), "web-a", "", new EndpointRequest(), "/ns/a", true);

        // A's prune: its local bridge and the global network nobody uses go (from the store, so from B too); the one
        // B uses stays (Docker's "has active endpoints", skipped as prune skips a network in use), and so does A's own.
        var pruned = _a.Service.Prune(_ => true);
        Assert.Equal(["plain", "unused"], pruned.Order(StringComparer.Ordinal));
        Assert.False(_a.Service.TryGet(local.Id, out _));
        Assert.Null(await _store.GetAsync(Wharf.Engine.Cluster.ClusterKeys.Network(unused.Id)));
        await WaitFor(() => _b.Service.TryGet(unused.Id, out _) ? null : "forgotten");
        Assert.NotNull(await _store.GetAsync(Wharf.Engine.Cluster.ClusterKeys.Network(usedOnB.Id)));
        Assert.NotNull(await _store.GetAsync(Wharf.Engine.Cluster.ClusterKeys.Network(usedOnA.Id)));
        Assert.True(_a.Service.TryGet(usedOnB.Id, out _));

        // B's prune: the network A uses is not B's to remove either.
        Assert.Empty(_b.Service.Prune(_ => true));
        Assert.NotNull(await _store.GetAsync(Wharf.Engine.Cluster.ClusterKeys.Network(usedOnA.Id)));

        // Once unused everywhere, a prune on any host removes them cluster-wide, leaving no key.
        _b.Service.Disconnect("used-on-b", onB.ContainerId, "/ns/b");
        _a.Service.Disconnect("used-on-a", onA.ContainerId, "/ns/a");
        Assert.Equal(["used-on-a", "used-on-b"], _b.Service.Prune(_ => true).Order(StringComparer.Ordinal));
        await WaitFor(() => _a.Service.TryGet(usedOnB.Id, out _) || _a.Service.TryGet(usedOnA.Id, out _) ? null : "forgotten");
        Assert.DoesNotContain((await _store.ListAsync(Wharf.Engine.Cluster.ClusterKeys.Root)).Entries, e => !e.Key.StartsWith(Wharf.Engine.Cluster.ClusterKeys.Nodes, StringComparison.Ordinal));
    }

    private static async Task<Exception?> Record(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<ClusterNetwork> Stored(string id) =>
        System.Text.Json.JsonSerializer.Deserialize<ClusterNetwork>((await _store.GetAsync(Wharf.Engine.Cluster.ClusterKeys.Network(id)))!.Value,
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

    private static string Id(char c) => new(c, 64);

    /// <summary>The embedded DNS's A answer to <paramref name="asker"/> for <paramref name="name"/>, null when none.</summary>
    private static IPAddress? Resolve(Daemon daemon, string name, IPAddress asker)
    {
        var query = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 1, 0, 1]);
        var answer = daemon.Service.Dns.Answer([.. query], asker);
        return answer is { Length: > 4 } && answer[7] > 0 ? new IPAddress(answer[^4..]) : null;
    }

    private static async Task<T> WaitFor<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (probe() is { } found) return found;
            Assert.True(DateTime.UtcNow < deadline, "not seen in 10 s");
            await Task.Delay(20);
        }
    }

    private sealed class Daemon : IAsyncDisposable
    {
        public Daemon(GlobalNetworkTests test, string node, string bridge, string chains)
        {
            DataRoot = test._dir.Combine(node);
            var lease = test._store.GrantLeaseAsync(TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
            // Registered as a daemon is (its node key under its lease): peers tell a leave from a lost lease by it.
            test._store.PutAsync(ClusterKeys.Node(node), System.Text.Encoding.UTF8.GetBytes(
                $"{{\"name\":\"{node}\",\"advertiseAddress\":\"{node}\"}}"), lease).GetAwaiter().GetResult();
            Service = new NetworkService(
                new NetworkOptions { DataRoot = DataRoot, ExecRoot = test._dir.Combine(node + "-exec"), DefaultBridge = bridge, ChainPrefix = chains },
                Netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System, NullLogger.Instance,
                context => [.. NetworkDriverRegistry.BuiltIn(context), Driver = new OverlayDriver(context, test._store, node, IPAddress.Parse(node), () => lease)]);
            Service.Initialize();
            Catalog = new GlobalNetworkCatalog(test._store, Service, node, NullLogger.Instance);
            Catalog.Start();
        }

        public string DataRoot { get; }
        public RecordingNetlink Netlink { get; } = new();
        public NetworkService Service { get; }
        public OverlayDriver Driver { get; private set; } = null!;
        public GlobalNetworkCatalog Catalog { get; }

        public async ValueTask DisposeAsync()
        {
            await Catalog.DisposeAsync();
            await Driver.DisposeAsync();
            Service.Dispose();
        }
    }
}
