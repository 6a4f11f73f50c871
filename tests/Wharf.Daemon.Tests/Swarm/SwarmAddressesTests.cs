using Wharf.Core.Errors;
using Wharf.Daemon.Swarm;

namespace Wharf.Daemon.Tests.Swarm;

/// <summary>docker swarm init's listen and advertise addresses, by dockerd's rules.</summary>
public sealed class SwarmAddressesTests
{
    private static readonly HashSet<string> NoOwnInterfaces = [];

    [Theory]
    [InlineData("0.0.0.0:4567", "127.0.0.1", "0.0.0.0:4567", "127.0.0.1:4567")]
    [InlineData("0.0.0.0:4567", "127.0.0.1:2000", "0.0.0.0:4567", "127.0.0.1:2000")]
    [InlineData("10.1.2.3:2377", null, "10.1.2.3:2377", "10.1.2.3:2377")]
    [InlineData(null, "10.9.9.9", "0.0.0.0:2377", "10.9.9.9:2377")]
    [InlineData(":3000", "lo", "0.0.0.0:3000", "127.0.0.1:3000")]
    public void Resolve_FollowsDockersRules(string? listen, string? advertise, string expectedListen, string expectedAdvertise) =>
        Assert.Equal((expectedListen, expectedAdvertise), SwarmAddresses.Resolve(listen, advertise, NoOwnInterfaces));

    [Theory]
    [InlineData(null, "0.0.0.0", "advertise address must be a non-zero IP address or network interface (with optional port number)")]
    [InlineData(null, "no-such-interface0", "advertise address must be a non-zero IP address or network interface (with optional port number)")]
    [InlineData("0.0.0.0:99999", "127.0.0.1", "invalid port in address \"0.0.0.0:99999\"")]
    public void Resolve_BadAddress_IsA400InDockersWords(string? listen, string? advertise, string message)
    {
        var error = Assert.Throws<EngineException>(() => SwarmAddresses.Resolve(listen, advertise, NoOwnInterfaces));

        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }

    [Theory]
    [InlineData("127.0.0.1:2377", "127.0.0.1")]
    [InlineData("[fd00::2]:2377", "fd00::2")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    public void IpOf_IsTheAddressWithoutThePort(string address, string ip) => Assert.Equal(ip, SwarmAddresses.IpOf(address));
}
