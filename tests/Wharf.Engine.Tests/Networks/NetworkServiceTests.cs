using Xunit;
using System.Net;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

public sealed class NetworkServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-net");
    private readonly RecordingNetlink _netlink = new();
    private readonly RecordingNamespaceOps _namespaces = new();
    private readonly RecordingFirewall _firewall = new();
    private readonly List<(string Action, string Id)> _events = [];

    private NetworkService NewService()
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wtest0", ChainPrefix = "wt1" },
            _netlink, _namespaces, _firewall, (action, id, _) => _events.Add((action, id)), TimeProvider.System);
        service.Initialize();
        return service;
    }

    private static NetworkCreateParams Bridge(string name, string? subnet = null, string? gateway = null, bool isInternal = false, Dictionary<string, string>? options = null) =>
        new(name, "bridge", isInternal, false, false,
            subnet is null ? [] : [new IpamPool { Subnet = subnet, Gateway = gateway ?? "" }],
            options ?? [], new Dictionary<string, string>());

    [Fact]
    public void Initialize_CreatesPredefinedNetworksAndDefaultBridgeAvoidingHostRoutes()
    {
        _netlink.Routes.Add(new NetAddress(IPAddress.Parse("172.17.0.0"), 16));
        using var service = NewService();
        Assert.Equal(["bridge", "host", "none"], service.All().Select(n => n.Name).Order().ToArray());
        var bridge = service.Get("bridge");
        Assert.Equal("172.18.0.0/16", bridge.Ipam[0].Subnet);
        Assert.Equal("172.18.0.1", bridge.Ipam[0].Gateway);
        Assert.Contains("bridge wtest0 172.18.0.1/16", _netlink.Calls);
        Assert.True(_firewall.ForwardingEnabled);
        Assert.Contains(_firewall.Rules("nat"), r => r == "-A POSTROUTING -s 172.18.0.0/16 ! -o wtest0 -j MASQUERADE");
    }

    [Fact]
    public void Create_ValidatesLikeDocker_AndLeavesNothingOnRefusal()
    {
        using var service = NewService();
        service.Create(Bridge("one", "10.50.0.0/24"));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<EngineException>(() => service.Create(Bridge("one"))).Kind);
        var overlap = Assert.Throws<EngineException>(() => service.Create(Bridge("two", "10.50.0.128/25")));
        Assert.Contains("Pool overlaps with other one on this address space", overlap.Message);
        Assert.Equal("invalid network config:\ninvalid gateway 10.60.1.1: parent subnet 10.60.0.0/24 doesn't contain this address", Assert.Throws<EngineException>(() => service.Create(Bridge("three", "10.60.0.0/24", "10.60.1.1"))).Message);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams("x", "nosuch", false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>()))).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<EngineException>(() => service.Create(Bridge("four", options: new() { ["com.docker.network.driver.mtu"] = "big" }))).Kind);
        Assert.Equal(4, service.All().Count);
        Assert.Equal(4, Directory.GetFiles(_dir.Combine("data", "network")).Length);
    }

    [Fact]
    public void ConnectDisconnect_AllocatesAndReleasesExactlyOnce_AndPersists()
    {
        using (var service = NewService())
        {
            var net = service.Create(Bridge("app", "10.70.0.0/24"));
            var a = service.Connect("app", "a".PadRight(64, '1'), "web", "webhost", new EndpointRequest { Aliases = ["api"] }, "/ns/a", defaultRoute: true);
            var b = service.Connect("app", "b".PadRight(64, '2'), "db", "", new EndpointRequest { IPv4Address = "10.70.0.50" }, "/ns/b", defaultRoute: true);
            Assert.Equal("10.70.0.2/24", a.IPv4Address);
            Assert.Equal("10.70.0.50/24", b.IPv4Address);
            Assert.Equal("02:42:0a:46:00:02", a.MacAddress);
            Assert.Equal(["web", "a11111111111", "api", "webhost"], a.DnsNames);
            var request = Assert.Single(_netlink.Created, l => l.NamespacePath == "/ns/a");
            Assert.Equal(("veth", "eth0", net.Interface), (request.Kind, request.PeerName, request.Master));
            Assert.Equal(IPAddress.Parse("10.70.0.1"), _netlink.Configured["/ns/a"][0].Gateway);
            var taken = Assert.Throws<EngineException>(() => service.Connect("app", "c".PadRight(64, '3'), "c", "", new EndpointRequest { IPv4Address = "10.70.0.50" }, "/ns/c", true));
            Assert.Equal("Address already in use", taken.Message);
            Assert.Equal(ErrorKind.Forbidden, Assert.Throws<EngineException>(() => service.Connect("app", a.ContainerId, "web", "", new EndpointRequest(), "/ns/a", true)).Kind);
            Assert.Contains("has active endpoints", Assert.Throws<EngineException>(() => service.Remove("app")).Message);
            service.ReleaseContainer(a.ContainerId);
            service.ReleaseContainer(a.ContainerId); // idempotent
            service.FlushBackgroundWork(); // the veth and the pin go after the answer
            Assert.DoesNotContain(a.HostInterface, _netlink.Links);
        }
        using (var reopened = NewService())
        {
            var net = reopened.Get("app");
            var remaining = Assert.Single(net.Endpoints.Values);
            Assert.Equal("10.70.0.50/24", remaining.IPv4Address);
            // The released address is handed out again, the persisted one is not.
            var next = reopened.Connect("app", "d".PadRight(64, '4'), "d", "", new EndpointRequest(), "/ns/d", true);
            Assert.Equal("10.70.0.2/24", next.IPv4Address);
        }
    }

    [Fact]
    public void Connect_LinkFailure_ReleasesTheAddress()
    {
        using var service = NewService();
        service.Create(Bridge("f", "10.80.0.0/24"));
        _netlink.FailNextLinks = 1;
        Assert.Throws<IOException>(() => service.Connect("f", "e".PadRight(64, '5'), "e", "", new EndpointRequest(), "/ns/e", true));
        Assert.Empty(service.Get("f").Endpoints);
        Assert.Equal("10.80.0.2/24", service.Connect("f", "e".PadRight(64, '5'), "e", "", new EndpointRequest(), "/ns/e", true).IPv4Address);
    }

    [Fact]
    public void Internal_NoDefaultRoute_AndRemove_DeletesBridgeRulesAndPublishesEvents()
    {
        using var service = NewService();
        var net = service.Create(Bridge("int", "10.90.0.0/24", isInternal: true));
        service.Connect("int", "f".PadRight(64, '6'), "i", "", new EndpointRequest(), "/ns/i", defaultRoute: true);
        Assert.Null(_netlink.Configured["/ns/i"][0].Gateway);
        Assert.Contains(_firewall.Rules("filter"), r => r.Contains(net.Interface, StringComparison.Ordinal) && r.Contains("DROP", StringComparison.Ordinal));
        service.ReleaseContainer("f".PadRight(64, '6'));
        service.Remove("int");
        Assert.DoesNotContain(net.Interface, _netlink.Links);
        Assert.DoesNotContain(_firewall.Rules("filter"), r => r.Contains(net.Interface, StringComparison.Ordinal));
        Assert.Equal(["create", "connect", "disconnect", "destroy"], _events.Where(e => e.Id == net.Id).Select(e => e.Action).ToArray());
        Assert.Contains("is a pre-defined network", Assert.Throws<EngineException>(() => service.Remove("bridge")).Message);
    }

    [Fact]
    public void Dispose_CleanupOnShutdownWithoutEndpoints_RemovesBridgesRulesAndChains()
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wtest1", ChainPrefix = "wt2", CleanupOnShutdown = true },
            _netlink, _namespaces, _firewall, null, TimeProvider.System);
        service.Initialize();
        var net = service.Create(Bridge("gone", "10.91.0.0/24"));
        Assert.Contains(_firewall.Rules("filter"), r => r.Contains("wt2WHARF", StringComparison.Ordinal));
        service.Dispose();
        Assert.DoesNotContain("wtest1", _netlink.Links);
        Assert.DoesNotContain(net.Interface, _netlink.Links);
        Assert.Empty(_firewall.Rules("filter"));
        Assert.Empty(_firewall.Rules("nat"));
        Assert.False(_firewall.ChainExists("filter", "wt2DOCKER-USER"));
    }

    [Fact]
    public void Macvlan_VlanParentCreatedOnDemand_LinkMadeInsideNamespace()
    {
        using var service = NewService();
        service.Create(new NetworkCreateParams("mv", "macvlan", false, false, false, [new IpamPool { Subnet = "10.100.0.0/24" }],
            new Dictionary<string, string> { ["parent"] = "eth0.42" }, new Dictionary<string, string>()));
        Assert.Contains("vlan eth0.42 eth0 42", _netlink.Calls);
        service.Connect("mv", "g".PadRight(64, '7'), "m", "", new EndpointRequest(), "/ns/m", true);
        var link = Assert.Single(_netlink.Created);
        Assert.Equal(("macvlan", "eth0.42", "eth0"), (link.Kind, link.Parent, link.PeerName));
        Assert.Throws<EngineException>(() => service.Create(new NetworkCreateParams("bad", "ipvlan", false, false, false, [],
            new Dictionary<string, string> { ["parent"] = "nosuch0" }, new Dictionary<string, string>())));
        // The VLAN sub-interface created on demand goes with the network (an existing parent never does).
        service.ReleaseContainer("g".PadRight(64, '7'));
        service.Remove("mv");
        Assert.Contains("delete eth0.42", _netlink.Calls);
        Assert.DoesNotContain("eth0.42", _netlink.Links);
        Assert.Contains("eth0", _netlink.Links);
    }

    public void Dispose() => _dir.Dispose();
}
