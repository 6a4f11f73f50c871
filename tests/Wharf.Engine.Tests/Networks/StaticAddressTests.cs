using System.Text.Json.Nodes;
using Xunit;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>Docker refuses --ip/--ip6 on a network whose subnet the daemon picked ("user specified IP address is
/// supported only when connecting to networks with user configured subnets"), per address family, and remembers
/// across restarts which subnets were picked.</summary>
public sealed class StaticAddressTests : IDisposable
{
    private const string Refusal = "invalid endpoint settings:\nuser specified IP address is supported only when connecting to networks with user configured subnets";

    private readonly TempDirectory _dir = new("wharf-static-ip");
    private readonly RecordingNetlink _netlink = new();

    private NetworkService NewService()
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wstat0", ChainPrefix = "ws1" },
            _netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System);
        service.Initialize();
        return service;
    }

    private static NetworkCreateParams Bridge(string name, string? subnet = null, bool ipv6 = false) =>
        new(name, "bridge", false, false, ipv6, subnet is null ? [] : [new IpamPool { Subnet = subnet }],
            new Dictionary<string, string>(), new Dictionary<string, string>());

    private static string Container(char c) => c.ToString().PadRight(64, '7');

    [Fact]
    public void Connect_StaticIpOnDaemonPickedSubnet_RefusedWithDockersWords_NothingAllocated()
    {
        using var service = NewService();
        var auto = service.Create(Bridge("auto"));
        Assert.True(auto.Ipam[0].AutoAllocated);
        var inSubnet = Subnet.Parse(auto.Ipam[0].Subnet).At(20).ToString();
        var linksBefore = _netlink.Created.Count;

        var refused = Assert.Throws<EngineException>(() => service.Connect("auto", Container('a'), "a", "", new EndpointRequest { IPv4Address = inSubnet }, "/ns/a", true));

        Assert.Equal(ErrorKind.InvalidArgument, refused.Kind);
        Assert.Equal(Refusal, refused.Message);
        Assert.Empty(service.Get("auto").Endpoints);
        Assert.Equal(linksBefore, _netlink.Created.Count);
        // Without a static address the same network hands out addresses as usual.
        Assert.NotEmpty(service.Connect("auto", Container('b'), "b", "", new EndpointRequest(), "/ns/b", true).IPv4Address);
    }

    [Fact]
    public void Connect_StaticIpOnUserSubnet_Accepted_AndIp6RefusedOnDaemonPickedUla()
    {
        using var service = NewService();
        var net = service.Create(Bridge("mine", "10.91.0.0/24", ipv6: true));
        Assert.False(net.Ipam.Single(p => !Subnet.Parse(p.Subnet).IsV6).AutoAllocated);
        Assert.True(net.Ipam.Single(p => Subnet.Parse(p.Subnet).IsV6).AutoAllocated);

        var endpoint = service.Connect("mine", Container('c'), "c", "", new EndpointRequest { IPv4Address = "10.91.0.40" }, "/ns/c", true);
        Assert.Equal("10.91.0.40/24", endpoint.IPv4Address);

        var ula = Subnet.Parse(net.Ipam.Single(p => Subnet.Parse(p.Subnet).IsV6).Subnet).At(40).ToString();
        var refused = Assert.Throws<EngineException>(() => service.Connect("mine", Container('d'), "d", "", new EndpointRequest { IPv6Address = ula }, "/ns/d", true));
        Assert.Equal(Refusal, refused.Message);
        Assert.True(NetworkService.RefusesStaticAddresses(net, new EndpointRequest { IPv6Address = ula }));
        Assert.False(NetworkService.RefusesStaticAddresses(net, new EndpointRequest { IPv4Address = "10.91.0.41" }));
    }

    [Fact]
    public void Restart_RemembersDaemonPickedSubnets_AndRecordsWithoutTheFieldKeepAcceptingStaticIps()
    {
        string oldId;
        using (var service = NewService())
        {
            service.Create(Bridge("picked"));
            oldId = service.Create(Bridge("legacy")).Id;
        }
        // A record written before the field existed: no "AutoAllocated" at all.
        var file = Path.Combine(_dir.Combine("data"), "network", oldId + ".json");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        foreach (var pool in json["Ipam"]!.AsArray()) pool!.AsObject().Remove("AutoAllocated");
        File.WriteAllText(file, json.ToJsonString());

        using var restarted = NewService();
        var picked = restarted.Get("picked");
        Assert.True(NetworkService.RefusesStaticAddresses(picked, new EndpointRequest { IPv4Address = Subnet.Parse(picked.Ipam[0].Subnet).At(9).ToString() }));
        var legacy = restarted.Get("legacy");
        var address = Subnet.Parse(legacy.Ipam[0].Subnet).At(9).ToString();
        Assert.False(NetworkService.RefusesStaticAddresses(legacy, new EndpointRequest { IPv4Address = address }));
        Assert.StartsWith(address + "/", restarted.Connect("legacy", Container('e'), "e", "", new EndpointRequest { IPv4Address = address }, "/ns/e", true).IPv4Address);
        // The default bridge's subnet is the daemon's pick too.
        Assert.True(restarted.Get("bridge").Ipam[0].AutoAllocated);
    }

    public void Dispose() => _dir.Dispose();
}
