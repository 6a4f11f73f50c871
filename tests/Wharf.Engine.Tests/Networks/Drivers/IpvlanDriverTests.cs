using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Xunit;

namespace Wharf.Engine.Tests.Networks.Drivers;

public sealed class IpvlanDriverTests : NetworkDriverConformance
{
    protected override INetworkDriver NewDriver() => new IpvlanDriver(Context);

    protected override NetworkRecord SampleNetwork() => Network("ipvlan", "iv", "10.68.0.0/24", "10.68.0.254", new() { ["parent"] = "eth0" });

    [Theory]
    [InlineData("l2", "10.68.0.254")]
    [InlineData("l3", null)]
    public async Task Join_L3RoutesThroughTheDevice_L2ThroughTheGateway(string mode, string? gateway)
    {
        var driver = NewDriver();
        var network = SampleNetwork();
        network.Options[IpvlanDriver.ModeOption] = mode;
        await driver.CreateAsync(network, CancellationToken.None);
        var endpoint = Endpoint("10.68.0.2/24");
        var wired = Assert.Single(await driver.JoinAsync(network, endpoint, new EndpointJoin("/ns/i", 0, [NetworkService.ParseCidr(endpoint.IPv4Address)], IPAddress.Parse("10.68.0.254"), null), CancellationToken.None));
        Assert.Equal(gateway, wired.Gateway?.ToString());
        Assert.Equal(("ipvlan", mode), (Netlink.Created[0].Kind, Netlink.Created[0].Mode));
    }

    [Fact]
    public void ValidateOptions_L2OrL3()
    {
        var driver = NewDriver();
        driver.ValidateOptions(new Dictionary<string, string> { [IpvlanDriver.ModeOption] = "l3", [MacvlanDriver.ModeOption] = "vepa" });
        Assert.Equal("ipvlan mode l4 is not supported (l2, l3)",
            Assert.Throws<EngineException>(() => driver.ValidateOptions(new Dictionary<string, string> { [IpvlanDriver.ModeOption] = "l4" })).Message);
    }
}
