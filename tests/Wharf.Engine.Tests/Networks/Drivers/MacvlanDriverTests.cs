using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class MacvlanDriverTests : NetworkDriverConformance
{
    protected override INetworkDriver NewDriver() => new MacvlanDriver(Context);

    /// <summary>On a VLAN parent that does not exist yet: created and deleted by the driver.</summary>
    protected override NetworkRecord SampleNetwork() => Network("macvlan", "mv", "10.66.0.0/24", "10.66.0.254", new() { ["parent"] = "eth0.7" });

    [Fact]
    public async Task Create_VlanParentOnDemand_DeletedWithTheLastNetworkOnIt()
    {
        var driver = NewDriver();
        var first = SampleNetwork();
        await driver.CreateAsync(first, CancellationToken.None);
        Track(first);
        Assert.True(first.CreatedParent);
        Assert.Contains("vlan eth0.7 eth0 7", Netlink.Calls);
        var second = SampleNetwork();
        second.CreatedParent = true;
        second.Interface = "eth0.7";
        Track(second);
        Untrack(first);
        await driver.DeleteAsync(first, CancellationToken.None);
        Assert.Contains("eth0.7", Netlink.Links); // the second network still uses it
        Untrack(second);
        await driver.DeleteAsync(second, CancellationToken.None);
        Assert.DoesNotContain("eth0.7", Netlink.Links);
        Assert.Contains("eth0", Netlink.Links); // an existing parent is never deleted
    }

    [Fact]
    public async Task Create_WithoutOrUnknownParent_Refused()
    {
        var driver = NewDriver();
        var none = await Assert.ThrowsAsync<EngineException>(() => driver.CreateAsync(Network("macvlan", "x", "10.67.0.0/24", ""), CancellationToken.None).AsTask());
        Assert.Equal("macvlan networks need a parent interface: -o parent=<interface>", none.Message);
        var missing = await Assert.ThrowsAsync<EngineException>(() => driver.CreateAsync(Network("macvlan", "y", "10.67.0.0/24", "", new() { ["parent"] = "nosuch0" }), CancellationToken.None).AsTask());
        Assert.Equal("-o parent interface was not found on the host: nosuch0", missing.Message);
    }

    [Fact]
    public void ValidateOptions_OnlyBridgeMode()
    {
        var driver = NewDriver();
        driver.ValidateOptions(new Dictionary<string, string> { [MacvlanDriver.ModeOption] = "bridge", [IpvlanDriver.ModeOption] = "l9" });
        Assert.Equal("macvlan mode private is not supported (only bridge)",
            Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string> { [MacvlanDriver.ModeOption] = "private" })).Message);
    }

    [Fact]
    public async Task Join_LinkCreatedInsideTheNamespaceOnTheParent()
    {
        var driver = NewDriver();
        var network = SampleNetwork();
        await driver.CreateAsync(network, CancellationToken.None);
        var endpoint = Endpoint("10.66.0.2/24");
        var wired = Assert.Single(await driver.JoinAsync(network, endpoint, new EndpointJoin("/ns/m", 0, [NetworkService.ParseCidr(endpoint.IPv4Address)], IPAddress.Parse("10.66.0.254"), null), CancellationToken.None));
        var link = Assert.Single(Netlink.Created);
        Assert.Equal(("macvlan", "eth0", "eth0.7", "bridge", "/ns/m"), (link.Kind, link.PeerName, link.Parent, link.Mode, link.NamespacePath));
        Assert.Equal("", endpoint.HostInterface);
        Assert.Equal(IPAddress.Parse("10.66.0.254"), wired.Gateway);
    }

    [Fact]
    public async Task Restore_VlanParentLostInAReboot_CreatedAgain()
    {
        var network = SampleNetwork();
        await NewDriver().CreateAsync(network, CancellationToken.None);
        Netlink.Links.Remove("eth0.7");
        Netlink.Calls.Clear();
        Assert.Empty(await NewDriver().RestoreAsync([network], CancellationToken.None));
        Assert.Equal(["vlan eth0.7 eth0 7"], Netlink.Calls);
    }

    [Fact]
    public void Capabilities_EndpointsAndIpam_NoHostGatewayDnsOrPorts() =>
        Assert.True(NewDriver().Capabilities is { AcceptsEndpoints: true, UsesIpam: true, HasGateway: false, ProvidesDns: false, SupportsPorts: false });
}
