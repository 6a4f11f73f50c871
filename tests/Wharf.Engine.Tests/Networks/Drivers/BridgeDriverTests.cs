using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class BridgeDriverTests : NetworkDriverConformance
{
    protected override INetworkDriver NewDriver() => new BridgeDriver(Context);

    protected override NetworkRecord SampleNetwork() => Network("bridge", "app", "10.61.0.0/24", "10.61.0.1");

    [Fact]
    public async Task Create_NamesTheBridgeAfterTheId_WithTheGatewayOnIt()
    {
        var network = SampleNetwork();
        await NewDriver().CreateAsync(network, CancellationToken.None);
        Assert.Equal("br-" + network.Id[..12], network.Interface);
        Assert.Contains($"bridge {network.Interface} 10.61.0.1/24", Netlink.Calls);
    }

    [Fact]
    public async Task Create_NameOptionTakenOrTooLong_RefusedBeforeAnyLink()
    {
        var driver = NewDriver();
        var first = Network("bridge", "one", "10.62.0.0/24", "10.62.0.1", new() { [BridgeDriver.NameOption] = "wtsame0" });
        await driver.CreateAsync(first, CancellationToken.None);
        Track(first);
        var calls = Netlink.Calls.Count;
        var clash = await Assert.ThrowsAsync<EngineException>(() => driver.CreateAsync(Network("bridge", "two", "10.63.0.0/24", "10.63.0.1", new() { [BridgeDriver.NameOption] = "wtsame0" }), CancellationToken.None).AsTask());
        Assert.Equal((ErrorKind.Forbidden, "bridge name wtsame0 is already in use by another network"), (clash.Kind, clash.Message));
        var tooLong = await Assert.ThrowsAsync<EngineException>(() => driver.CreateAsync(Network("bridge", "three", "10.64.0.0/24", "10.64.0.1", new() { [BridgeDriver.NameOption] = "a-very-long-bridge" }), CancellationToken.None).AsTask());
        Assert.Equal(ErrorKind.InvalidArgument, tooLong.Kind);
        Assert.Equal(calls, Netlink.Calls.Count);
    }

    [Fact]
    public async Task Create_EntersTheLedgerBeforeTheLinkExists_AndARestartFindsTheLeftover()
    {
        var network = SampleNetwork();
        var ledger = Path.Combine(Context.StoreDir, "ledger", "bridges.json");
        var inLedgerBeforeLink = false;
        Netlink.BeforeBridge = name => inLedgerBeforeLink = File.Exists(ledger) && File.ReadAllText(ledger).Contains(name, StringComparison.Ordinal);
        await NewDriver().CreateAsync(network, CancellationToken.None);
        Assert.True(inLedgerBeforeLink);
        // The record vanished (a crash in the middle of a removal): the restarted driver reports the bridge as stale.
        var stale = await NewDriver().RestoreAsync([], CancellationToken.None);
        Assert.Equal(network.Interface, Assert.Single(stale).Interface);
        await NewDriver().DeleteAsync(stale[0], CancellationToken.None);
        Assert.Empty(await NewDriver().RestoreAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task Restore_RecreatesEveryBridge()
    {
        var network = SampleNetwork();
        network.Interface = "wtrestore0";
        Assert.Empty(await NewDriver().RestoreAsync([network], CancellationToken.None));
        Assert.Contains("bridge wtrestore0 10.61.0.1/24", Netlink.Calls);
    }

    [Fact]
    public async Task Join_VethIntoTheBridge_WithTheGivenGateway()
    {
        var driver = NewDriver();
        var network = SampleNetwork();
        await driver.CreateAsync(network, CancellationToken.None);
        var endpoint = Endpoint("10.61.0.2/24");
        var address = NetworkService.ParseCidr(endpoint.IPv4Address);
        var wired = Assert.Single(await driver.JoinAsync(network, endpoint, new EndpointJoin("/ns/a", 9000, [address], IPAddress.Parse("10.61.0.1"), null), CancellationToken.None));
        Assert.Equal("veth" + endpoint.EndpointId[..7], endpoint.HostInterface);
        var link = Assert.Single(Netlink.Created);
        Assert.Equal(("veth", endpoint.HostInterface, "eth0", network.Interface, 9000), (link.Kind, link.Name, link.PeerName, link.Master, link.Mtu));
        Assert.Equal(IPAddress.Parse("10.61.0.1"), wired.Gateway);
    }

    [Fact]
    public void ValidateOptions_BridgeBooleansAndHostBinding_MustParse()
    {
        var driver = NewDriver();
        driver.ValidateOptions(new Dictionary<string, string> { [BridgeDriver.IccOption] = "f", [BridgeDriver.HostBindingOption] = "127.0.0.1" });
        Assert.Equal("failed to parse com.docker.network.bridge.enable_icc value: maybe (strconv.ParseBool: parsing \"maybe\": invalid syntax)",
            Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string> { [BridgeDriver.IccOption] = "maybe" })).Message);
        Assert.Equal("failed to parse com.docker.network.bridge.host_binding_ipv4 value: x (nil ip)",
            Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string> { [BridgeDriver.HostBindingOption] = "x" })).Message);
    }

    [Fact]
    public void FirewallRules_IccOffDrops_AndV6RulesOnlyForV6Pools()
    {
        var network = Network("bridge", "quiet", "10.65.0.0/24", "10.65.0.1", new() { [BridgeDriver.IccOption] = "false" });
        network.Interface = "wtquiet0";
        var driver = NewDriver();
        Assert.Contains(driver.FirewallRulesOf(network, Rules, ipv6: false), r => r.Line == "-A FORWARD -i wtquiet0 -o wtquiet0 -j DROP");
        Assert.Empty(driver.FirewallRulesOf(network, Rules, ipv6: true));
        network.Ipam.Add(new IpamPool { Subnet = "fd00:65::/64", Gateway = "fd00:65::1" });
        Assert.NotEmpty(driver.FirewallRulesOf(network, Rules, ipv6: true));
    }

    [Fact]
    public void Capabilities_GatewayDnsPortsIpam()
    {
        var capabilities = NewDriver().Capabilities;
        Assert.True(capabilities is { AcceptsEndpoints: true, HasGateway: true, ProvidesDns: true, SupportsPorts: true, UsesIpam: true, Singleton: false, UsesHostNamespace: false });
    }
}
