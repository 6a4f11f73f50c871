using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

/// <summary>Address management as pure functions over the current state: choosing a subnet from the default pools
/// and handing out addresses. The state itself (subnets of networks, endpoint addresses) lives in the network
/// records, so an allocation is persisted with its endpoint and released by removing the endpoint, exactly once.</summary>
public static class Ipam
{
    /// <summary>Docker's default local pools: 172.17–31.0.0/16, then 192.168.0.0/16 cut into /20s.</summary>
    public static IEnumerable<Subnet> DefaultPools()
    {
        for (var b = 17; b <= 31; b++) yield return Subnet.Parse($"172.{b}.0.0/16");
        for (var c = 0; c < 256; c += 16) yield return Subnet.Parse($"192.168.{c}.0/20");
    }

    /// <summary>The first default pool that overlaps none of <paramref name="taken"/> (other networks and host routes).</summary>
    /// <param name="startIndex">Where to start in the pool list (wrapping): daemons side by side start at
    /// different places so two starting at once do not both pick the same free pool.</param>
    public static Subnet PickDefaultPool(IEnumerable<Subnet> taken, int startIndex = 0)
    {
        var list = taken.ToList();
        var pools = DefaultPools().ToList();
        var start = ((startIndex % pools.Count) + pools.Count) % pools.Count;
        foreach (var pool in pools.Skip(start).Concat(pools.Take(start)))
            if (!list.Any(t => t.Overlaps(pool))) return pool;
        throw EngineException.Invalid("all predefined address pools have been fully subnetted");
    }

    /// <summary>A random unique-local IPv6 /64 (fdxx:xxxx:xxxx:xxxx::/64), for --ipv6 without a subnet.</summary>
    public static Subnet RandomUlaSubnet()
    {
        var bytes = new byte[16];
        RandomNumberGenerator.Fill(bytes.AsSpan(1, 7));
        bytes[0] = 0xfd;
        Array.Clear(bytes, 8, 8);
        return new Subnet(new IPAddress(bytes), 64);
    }

    /// <summary>The lowest free host address of <paramref name="subnet"/> (within <paramref name="range"/> when given):
    /// never the network address, the last (broadcast) address or one in <paramref name="reserved"/> (gateway, endpoints).</summary>
    public static IPAddress Allocate(Subnet subnet, Subnet? range, IReadOnlySet<IPAddress> reserved, string networkName)
    {
        // The first address of an ip-range is skipped too: a ".0" address confuses many clients.
        var first = UInt128.Max(subnet.First + 1, range is null ? UInt128.Zero : range.First + 1);
        var last = range is null ? subnet.Last - 1 : UInt128.Min(range.Last, subnet.Last - 1);
        var family = subnet.Network.AddressFamily;
        // Bounded scan: reserved addresses are few compared with the pool.
        for (var n = first; n <= last && n - first <= (UInt128)reserved.Count + 1; n++)
        {
            var candidate = Subnet.FromNumber(n, family);
            if (!reserved.Contains(candidate)) return candidate;
        }
        var kind = family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        throw EngineException.Invalid($"no available {kind} addresses on this network's address pools: {networkName}");
    }

    /// <summary>Checks a requested static address (--ip) against the subnet and the taken addresses.</summary>
    public static IPAddress ValidateStatic(string requested, Subnet subnet, IReadOnlySet<IPAddress> reserved)
    {
        if (!IPAddress.TryParse(requested, out var ip) || ip.AddressFamily != subnet.Network.AddressFamily)
            throw EngineException.Invalid($"invalid IP address: {requested}");
        if (!subnet.Contains(ip))
            throw EngineException.Invalid($"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {requested}");
        var n = Subnet.ToNumber(ip);
        if (n == subnet.First || (!subnet.IsV6 && n == subnet.Last) || reserved.Contains(ip))
            throw new EngineException(ErrorKind.Forbidden, "Address already in use");
        return ip;
    }
}
