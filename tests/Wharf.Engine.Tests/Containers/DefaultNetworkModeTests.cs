using Wharf.Engine.Containers;
using Wharf.Engine.Networks;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class DefaultNetworkModeTests
{
    private static HostSettings Host(string mode, params string[] endpoints) =>
        new() { NetworkMode = mode, EndpointsConfig = endpoints.ToDictionary(e => e, _ => new EndpointRequest()) };

    [Theory]
    [InlineData("")]
    [InlineData("default")]
    public void Resolve_NoModeNoEndpoints_IsTheDefaultBridge(string mode) =>
        Assert.Equal("bridge", DefaultNetworkMode.Resolve(Host(mode)));

    [Fact]
    public void Resolve_NoModeWithEndpointsOnly_IsTheFirstRequestedNetworkNotTheBridge() =>
        Assert.Equal("tc-net", DefaultNetworkMode.Resolve(Host("", "tc-net", "other")));

    [Theory]
    [InlineData("default")]
    [InlineData("bridge")]
    public void Resolve_NoModeWithTheDefaultAmongEndpoints_IsTheBridge(string name) =>
        Assert.Equal("bridge", DefaultNetworkMode.Resolve(Host("default", "tc-net", name)));

    [Theory]
    [InlineData("host")]
    [InlineData("none")]
    [InlineData("mine")]
    [InlineData("container:abc")]
    public void Resolve_ExplicitMode_IsKept(string mode) =>
        Assert.Equal(mode, DefaultNetworkMode.Resolve(Host(mode, "tc-net")));
}
