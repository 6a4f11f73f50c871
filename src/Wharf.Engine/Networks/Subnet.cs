using System.Net;
using System.Net.Sockets;
using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

/// <summary>An IPv4 or IPv6 prefix ("172.18.0.0/16") with the address arithmetic IPAM needs. Addresses are handled
/// as 128-bit integers so both families share one code path.</summary>
public sealed record Subnet(IPAddress Network, int PrefixLength)
{
    public bool IsV6 => Network.AddressFamily == AddressFamily.InterNetworkV6;
    private int Bits => IsV6 ? 128 : 32;

    /// <summary>Parses CIDR text; the host bits are cleared ("172.18.0.5/16" is 172.18.0.0/16).</summary>
    public static Subnet Parse(string cidr)
    {
        if (!TryParse(cidr, out var subnet)) throw EngineException.Invalid($"invalid CIDR address: {cidr}");
        return subnet;
    }

    public static bool TryParse(string? cidr, out Subnet subnet)
    {
        subnet = null!;
        if (string.IsNullOrEmpty(cidr)) return false;
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || !int.TryParse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var prefix)) return false;
        var bits = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (prefix < 0 || prefix > bits) return false;
        var value = ToNumber(ip) & Mask(prefix, bits);
        subnet = new Subnet(FromNumber(value, ip.AddressFamily), prefix);
        return true;
    }

    /// <summary>Number of addresses in the prefix (saturated for huge IPv6 prefixes).</summary>
    public UInt128 Size => Bits - PrefixLength >= 127 ? UInt128.MaxValue : UInt128.One << (Bits - PrefixLength);

    public UInt128 First => ToNumber(Network);
    public UInt128 Last => First + (Size - 1);

    public bool Contains(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.AddressFamily != Network.AddressFamily) return false;
        var n = ToNumber(ip);
        return n >= First && n <= Last;
    }

    public bool Contains(Subnet other) => other.IsV6 == IsV6 && other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Subnet other) => other.IsV6 == IsV6 && (Contains(other.Network) || other.Contains(Network));

    /// <summary>The address at <paramref name="offset"/> from the network address.</summary>
    public IPAddress At(UInt128 offset) => FromNumber(First + offset, Network.AddressFamily);

    /// <summary>IPv4 broadcast (the last address); IPv6 has none but its last address is not handed out either.</summary>
    public IPAddress Broadcast => FromNumber(Last, Network.AddressFamily);

    public override string ToString() => $"{Network}/{PrefixLength}";

    public static UInt128 ToNumber(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        UInt128 value = 0;
        foreach (var b in ip.GetAddressBytes()) value = (value << 8) | b;
        return value;
    }

    public static IPAddress FromNumber(UInt128 value, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetworkV6 ? 16 : 4];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }

    private static UInt128 Mask(int prefix, int bits)
    {
        var all = bits == 128 ? UInt128.MaxValue : ((UInt128)1 << bits) - 1;
        if (prefix == 0) return 0;
        return all & ~((((UInt128)1) << (bits - prefix)) - 1);
    }
}
