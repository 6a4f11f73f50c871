using Xunit;
using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>network create's static checks in Docker's words: IPAM config (the daemon's wording, all problems at
/// once), driver options (unknown keys ignored, bad values of known keys refused), and the create options that
/// shape the kernel side (bridge name, MTU, gateway, ip-range, ULA for --ipv6).</summary>
public sealed class NetworkCreateRulesTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-netrules");
    private readonly RecordingNetlink _netlink = new();

    public void Dispose() => _dir.Dispose();

    private NetworkService NewService()
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wtest0", ChainPrefix = "wt2" },
            _netlink, new RecordingNamespaceOps(), new RecordingFirewall(), null, TimeProvider.System);
        service.Initialize();
        return service;
    }

    private static NetworkCreateParams Request(string name, IpamPool[]? pools = null, Dictionary<string, string>? options = null,
        string driver = "bridge", bool ipv6 = false) =>
        new(name, driver, false, false, ipv6, pools ?? [], options ?? [], new Dictionary<string, string>());

    private static EngineException Refused(Action create) => Assert.Throws<EngineException>(create);

    [Theory]
    [InlineData("10.1.0.0/24", "10.1.1.254", "", "invalid network config:\ninvalid gateway 10.1.1.254: parent subnet 10.1.0.0/24 doesn't contain this address")]
    [InlineData("10.1.0.0/24", "nonsense", "", "invalid network config:\ninvalid gateway nonsense: invalid address")]
    [InlineData("10.1.0.0/24", "fd00::1", "", "invalid network config:\ninvalid gateway fd00::1: parent subnet is an IPv4 block")]
    [InlineData("10.1.0.5/24", "", "", "invalid network config:\ninvalid subnet 10.1.0.5/24: it should be 10.1.0.0/24")]
    [InlineData("10.1.0/24", "", "", "invalid network config:\ninvalid subnet 10.1.0/24: invalid CIDR block notation")]
    [InlineData("10.1.0.0/24", "", "10.2.0.0/25", "invalid network config:\ninvalid ip-range 10.2.0.0/25: parent subnet 10.1.0.0/24 doesn't contain ip-range")]
    [InlineData("10.1.0.0/24", "", "10.1.0.0/16", "invalid network config:\ninvalid ip-range 10.1.0.0/16: CIDR block is bigger than its parent subnet 10.1.0.0/24")]
    [InlineData("10.1.0.0/24", "10.9.9.9", "10.1.0.130/25", "invalid network config:\n* invalid ip-range 10.1.0.130/25: it should be 10.1.0.128/25\n* invalid gateway 10.9.9.9: parent subnet 10.1.0.0/24 doesn't contain this address")]
    public void IpamConfigRules_BadPool_DaemonWordingAllProblemsAtOnce(string subnet, string gateway, string range, string expected)
    {
        var error = Refused(() => IpamConfigRules.Validate([new IpamPool { Subnet = subnet, Gateway = gateway, IPRange = range }]));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void IpamConfigRules_GoodPools_Pass()
    {
        IpamConfigRules.Validate([
            new IpamPool { Subnet = "10.1.0.0/24", Gateway = "10.1.0.254", IPRange = "10.1.0.128/25" },
            new IpamPool { Subnet = "fd00:0001::/64", Gateway = "fd00:1::1" },
        ]);
    }

    [Theory]
    [InlineData("com.docker.network.driver.mtu", "big", "failed to parse com.docker.network.driver.mtu value: big (strconv.Atoi: parsing \"big\": invalid syntax)")]
    [InlineData("com.docker.network.driver.mtu", "-1", "invalid MTU number: -1")]
    [InlineData("com.docker.network.driver.mtu", "40", "invalid MTU number: 40")]
    [InlineData("com.docker.network.bridge.enable_icc", "maybe", "failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing \"maybe\": invalid syntax)")]
    [InlineData("com.docker.network.bridge.host_binding_ipv4", "localhost", "failed to parse com.docker.network.bridge.host_binding_ipv4 value: localhost (nil ip)")]
    public void Create_BadValueOfKnownOption_400InDriverWords_NothingCreated(string key, string value, string expected)
    {
        using var service = NewService();
        var before = service.All().Count;
        var error = Refused(() => service.Create(Request("bad", options: new() { [key] = value })));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(expected, error.Message);
        Assert.Equal(before, service.All().Count);
        Assert.DoesNotContain(_netlink.Calls, c => c.StartsWith("bridge br-", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_UnknownOption_IgnoredLikeDocker_KeptInOptions()
    {
        using var service = NewService();
        var network = service.Create(Request("loose", options: new() { ["com.example.owner"] = "team-a", ["com.docker.network.bridge.enable_icc"] = "0" }));
        Assert.Equal("team-a", service.Get("loose").Options["com.example.owner"]);
        Assert.False(DriverOptionRules.Flag(network, "com.docker.network.bridge.enable_icc", fallback: true));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../x")]
    [InlineData("wt bad")]
    [InlineData("wt:bad")]
    public void Create_BridgeNameTheKernelRefuses_400AndNoLink(string name)
    {
        using var service = NewService();
        var linksBefore = _netlink.Calls.Count(c => c.StartsWith("bridge ", StringComparison.Ordinal));

        var error = Refused(() => service.Create(Request("badname", options: new() { ["com.docker.network.bridge.name"] = name })));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"invalid bridge name \"{name}\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(linksBefore, _netlink.Calls.Count(c => c.StartsWith("bridge ", StringComparison.Ordinal)));
        Assert.DoesNotContain(service.All(), n => n.Name == "badname");
    }

    [Fact]
    public void Create_BridgeNameMtuGatewayRange_ReachTheKernelAndTheEndpoints()
    {
        using var service = NewService();
        var network = service.Create(Request("shaped",
            [new IpamPool { Subnet = "10.44.0.0/24", Gateway = "10.44.0.254", IPRange = "10.44.0.128/25" }],
            new() { ["com.docker.network.bridge.name"] = "wtshaped0", ["com.docker.network.driver.mtu"] = "1400" }));
        Assert.Equal("wtshaped0", network.Interface);
        Assert.Contains("bridge wtshaped0 10.44.0.254/24", _netlink.Calls);

        var endpoint = service.Connect("shaped", "a".PadRight(64, '1'), "a", "", new EndpointRequest(), "/ns/a", defaultRoute: true);
        Assert.Equal("10.44.0.129/24", endpoint.IPv4Address);
        Assert.Equal(1400, Assert.Single(_netlink.Created).Mtu);
        Assert.Equal(IPAddress.Parse("10.44.0.254"), _netlink.Configured["/ns/a"][0].Gateway);

        // Another network cannot take the same bridge name.
        var clash = Refused(() => service.Create(Request("clash", options: new() { ["com.docker.network.bridge.name"] = "wtshaped0" })));
        Assert.Equal(ErrorKind.Forbidden, clash.Kind);
    }

    [Fact]
    public void Create_AuxiliaryAddresses_KeptAcrossRestart_AndNeverHandedToAContainer()
    {
        var aux = new Dictionary<string, string>(StringComparer.Ordinal) { ["router"] = "10.46.0.2", ["printer"] = "10.46.0.3" };
        using (var service = NewService())
        {
            service.Create(Request("aux", [new IpamPool { Subnet = "10.46.0.0/24", IPRange = "10.46.0.0/29", AuxiliaryAddresses = aux }]));

            // .1 is the gateway, .2 and .3 belong to others on the segment: the first container gets .4.
            var first = service.Connect("aux", "a".PadRight(64, '1'), "a", "", new EndpointRequest(), "/ns/a", defaultRoute: true);
            Assert.Equal("10.46.0.4/24", first.IPv4Address);
            var taken = Refused(() => service.Connect("aux", "b".PadRight(64, '1'), "b", "", new EndpointRequest { IPv4Address = "10.46.0.2" }, "/ns/b", defaultRoute: true));
            Assert.Equal(ErrorKind.Forbidden, taken.Kind);
        }
        using var restarted = NewService();
        Assert.Equal(aux, restarted.Get("aux").Ipam.Single().AuxiliaryAddresses);
    }

    [Fact]
    public void Connect_RequestedMacAndLinkLocalIps_OnTheInterface()
    {
        using var service = NewService();
        service.Create(Request("macs", [new IpamPool { Subnet = "10.47.0.0/24" }]));
        var request = new EndpointRequest { MacAddress = "02:42:AC:11:00:0A", LinkLocalIPs = ["169.254.8.8", "fe80::8"] };

        var endpoint = service.Connect("macs", "a".PadRight(64, '1'), "a", "", request, "/ns/a", defaultRoute: true);

        Assert.Equal("02:42:ac:11:00:0a", endpoint.MacAddress);
        Assert.Equal("02:42:ac:11:00:0a", Assert.Single(_netlink.Created).PeerMac);
        var addresses = Assert.Single(_netlink.Configured["/ns/a"]).Addresses.Select(a => $"{a.Address}/{a.PrefixLength}");
        Assert.Equal(["10.47.0.2/24", "169.254.8.8/16", "fe80::8/64"], addresses);
        // Without a request the MAC is still derived from the address, as Docker's.
        Assert.Equal("02:42:0a:2f:00:03", service.Connect("macs", "b".PadRight(64, '1'), "b", "", new EndpointRequest(), "/ns/b", defaultRoute: true).MacAddress);
    }

    [Theory]
    [InlineData("02:42:ac:11:00", "", "invalid endpoint settings:\ninvalid MAC address 02:42:ac:11:00")]
    [InlineData("", "not-an-ip", "invalid endpoint settings:\ninvalid link-local IP address: not-an-ip")]
    public void CheckEndpointRequest_BadMacOrLinkLocalIp_Refused(string mac, string linkLocal, string expected)
    {
        using var service = NewService();
        var request = new EndpointRequest { MacAddress = mac, LinkLocalIPs = linkLocal.Length > 0 ? [linkLocal] : [] };

        var error = Refused(() => service.CheckEndpointRequest("bridge", request));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void IpamConfigRules_AuxiliaryAddressOutsideTheSubnet_Refused()
    {
        var pool = new IpamPool { Subnet = "10.1.0.0/24", AuxiliaryAddresses = new(StringComparer.Ordinal) { ["far"] = "10.2.0.5" } };

        var error = Refused(() => IpamConfigRules.Validate([pool]));

        Assert.Equal("invalid network config:\ninvalid auxiliary address far: parent subnet 10.1.0.0/24 doesn't contain this address", error.Message);
    }

    [Fact]
    public void Create_Ipv6WithoutSubnet_GetsAUla64BesideTheV4Pool()
    {
        using var service = NewService();
        var network = service.Create(Request("v6", ipv6: true));
        Assert.True(network.EnableIPv6);
        var v6 = Subnet.Parse(Assert.Single(network.Ipam, p => p.Subnet.Contains(':', StringComparison.Ordinal)).Subnet);
        Assert.Equal(64, v6.PrefixLength);
        Assert.Equal(0xfd, v6.Network.GetAddressBytes()[0]);
        Assert.Single(network.Ipam, p => !p.Subnet.Contains(':', StringComparison.Ordinal));
    }

    [Fact]
    public void CheckEndpointRequest_StaticAddressOutsideTheNetwork_RefusedBeforeAnythingRuns()
    {
        using var service = NewService();
        service.Create(Request("static", [new IpamPool { Subnet = "10.45.0.0/24" }]));
        service.CheckEndpointRequest("static", new EndpointRequest { IPv4Address = "10.45.0.9" });
        var outside = Refused(() => service.CheckEndpointRequest("static", new EndpointRequest { IPv4Address = "10.46.0.9" }));
        Assert.Equal(ErrorKind.InvalidArgument, outside.Kind);
        Assert.Equal("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.46.0.9", outside.Message);
        Assert.Equal("invalid IP address: nope", Refused(() => service.CheckEndpointRequest("static", new EndpointRequest { IPv4Address = "nope" })).Message);
        Assert.Empty(service.Get("static").Endpoints);
    }

    [Fact]
    public void Create_UnknownDriver_PluginNotFound()
    {
        using var service = NewService();
        var error = Refused(() => service.Create(Request("x", driver: "weave")));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("plugin \"weave\" not found", error.Message);
    }
}
