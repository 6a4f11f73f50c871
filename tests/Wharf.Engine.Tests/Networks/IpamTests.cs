using Xunit;
using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Tests.Networks;

public sealed class IpamTests
{
    [Fact]
    public void PickDefaultPool_FirstPoolsTaken_SkipsOverlapsIncludingHostRoutes()
    {
        var taken = new[] { Subnet.Parse("172.17.0.0/16"), Subnet.Parse("172.18.5.0/24") };
        Assert.Equal("172.19.0.0/16", Ipam.PickDefaultPool(taken).ToString());
    }

    [Fact]
    public void PickDefaultPool_All172Taken_Uses192168Slash20()
    {
        var taken = new[] { Subnet.Parse("172.16.0.0/12") };
        Assert.Equal("192.168.0.0/20", Ipam.PickDefaultPool(taken).ToString());
    }

    [Fact]
    public void Allocate_SkipsNetworkGatewayAndTaken_NeverBroadcast()
    {
        var subnet = Subnet.Parse("10.9.0.0/30"); // .0 network, .1 gateway, .2 free, .3 broadcast
        var reserved = new HashSet<IPAddress> { IPAddress.Parse("10.9.0.1") };
        var ip = Ipam.Allocate(subnet, null, reserved, "n");
        Assert.Equal("10.9.0.2", ip.ToString());
        reserved.Add(ip);
        var e = Assert.Throws<EngineException>(() => Ipam.Allocate(subnet, null, reserved, "n"));
        Assert.Contains("no available IPv4 addresses", e.Message);
    }

    [Fact]
    public void Allocate_WithRange_StaysInsideRange()
    {
        var ip = Ipam.Allocate(Subnet.Parse("10.10.0.0/16"), Subnet.Parse("10.10.5.0/24"), new HashSet<IPAddress>(), "n");
        Assert.Equal("10.10.5.1", ip.ToString());
    }

    [Fact]
    public void ValidateStatic_OutsideOrTakenOrBroadcast_Refused()
    {
        var subnet = Subnet.Parse("10.11.0.0/24");
        var reserved = new HashSet<IPAddress> { IPAddress.Parse("10.11.0.1") };
        Assert.Contains("no configured subnet", Assert.Throws<EngineException>(() => Ipam.ValidateStatic("10.12.0.5", subnet, reserved)).Message);
        Assert.Equal("Address already in use", Assert.Throws<EngineException>(() => Ipam.ValidateStatic("10.11.0.1", subnet, reserved)).Message);
        Assert.Throws<EngineException>(() => Ipam.ValidateStatic("10.11.0.255", subnet, reserved));
        Assert.Equal("10.11.0.9", Ipam.ValidateStatic("10.11.0.9", subnet, reserved).ToString());
    }

    [Fact]
    public void Subnet_ParseClearsHostBitsAndHandlesIPv6()
    {
        Assert.Equal("172.18.0.0/16", Subnet.Parse("172.18.3.4/16").ToString());
        var v6 = Subnet.Parse("fd00:1:2:3::/64");
        Assert.True(v6.IsV6);
        Assert.True(v6.Contains(IPAddress.Parse("fd00:1:2:3::42")));
        Assert.False(v6.Overlaps(Subnet.Parse("fd00:1:2:4::/64")));
        Assert.Equal("fd00:1:2:3::1", v6.At(1).ToString());
        var ula = Ipam.RandomUlaSubnet();
        Assert.Equal(64, ula.PrefixLength);
        Assert.Equal(0xfd, ula.Network.GetAddressBytes()[0]);
    }
}
