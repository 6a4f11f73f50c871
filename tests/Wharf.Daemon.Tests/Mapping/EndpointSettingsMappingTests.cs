using Wharf.Api.Containers;
using Wharf.Daemon.Mapping;

namespace Wharf.Daemon.Tests.Mapping;

public sealed class EndpointSettingsMappingTests
{
    private const string ContainerId = "20611d4345b5aa0d6e1c0b9f0f4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b";

    [Fact]
    public void AddLegacyShortIdAliases_UserDefinedNetwork_AppendsTheShortIdOnce()
    {
        var settings = new NetworkSettings { Networks = new() { ["mynet"] = new EndpointSettings { Aliases = ["hello"] } } };

        NetworkMapper.AddLegacyShortIdAliases(settings, ContainerId);
        NetworkMapper.AddLegacyShortIdAliases(settings, ContainerId);

        Assert.Equal(["hello", "20611d4345b5"], settings.Networks["mynet"].Aliases);
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("host")]
    [InlineData("none")]
    public void AddLegacyShortIdAliases_BuiltInNetwork_LeavesAliasesAlone(string network)
    {
        var settings = new NetworkSettings { Networks = new() { [network] = new EndpointSettings() } };

        NetworkMapper.AddLegacyShortIdAliases(settings, ContainerId);

        Assert.Null(settings.Networks[network].Aliases);
    }

    [Fact]
    public void ToEndpointRequest_DriverOpts_AreKeptForInspect()
    {
        var request = NetworkMapper.ToEndpointRequest(new EndpointSettings { DriverOpts = new() { ["key1"] = "a" } });

        Assert.Equal("a", request.DriverOpts["key1"]);
    }
}
