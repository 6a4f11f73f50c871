using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Swarm;

/// <summary>docker swarm init's addresses, with dockerd's rules (daemon/cluster/listen_addr.go): each is "HOST[:PORT]"
/// where HOST is an IP or an interface name (its address); the listen address defaults to 0.0.0.0:2377; the advertise
/// address defaults to a specific listen IP, else to the host's one address — several are Docker's 400. Interfaces of
/// the daemon's own networks (bridges, veths) are no candidates: other nodes could never reach them.</summary>
internal static class SwarmAddresses
{
    public const int DefaultPort = 2377;

    /// <summary>(listen "IP:PORT", advertise "IP:PORT"). Throws 400 in Docker's words.</summary>
    public static (string Listen, string Advertise) Resolve(string? listen, string? advertise, IReadOnlySet<string> ownInterfaces)
    {
        var (listenHost, listenPort) = Split(string.IsNullOrEmpty(listen) ? $"0.0.0.0:{DefaultPort}" : listen, DefaultPort);
        var listenIp = HostAddress(listenHost, "listen");
        IPAddress advertiseIp;
        var advertisePort = listenPort;
        if (!string.IsNullOrEmpty(advertise))
        {
            (var host, advertisePort) = Split(advertise, listenPort);
            advertiseIp = HostAddress(host, "advertise");
            if (advertiseIp.Equals(IPAddress.Any) || advertiseIp.Equals(IPAddress.IPv6Any))
                throw EngineException.Invalid("advertise address must be a non-zero IP address or network interface (with optional port number)");
        }
        else if (!listenIp.Equals(IPAddress.Any) && !listenIp.Equals(IPAddress.IPv6Any))
        {
            advertiseIp = listenIp;
        }
        else
        {
            advertiseIp = SystemAddress(ownInterfaces);
        }
        return (Join(listenIp, listenPort), Join(advertiseIp, advertisePort));
    }

    /// <summary>The IP part of "IP:PORT".</summary>
    public static string IpOf(string address) => Split(address, DefaultPort).Host.Trim('[', ']');

    private static (string Host, int Port) Split(string address, int defaultPort)
    {
        var colon = address.LastIndexOf(':');
        var bracketed = address.StartsWith('[');
        if (colon < 0 || (!bracketed && address.Count(c => c == ':') > 1) || (bracketed && address.EndsWith(']')))
            return (address, defaultPort);
        var host = address[..colon];
        if (!int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw EngineException.Invalid($"invalid port in address \"{address}\"");
        return (host.Length == 0 ? "0.0.0.0" : host, port);
    }

    private static IPAddress HostAddress(string host, string what)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return ip;
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == host)
            ?? throw EngineException.Invalid($"{what} address must be a non-zero IP address or network interface (with optional port number)");
        return nic.GetIPProperties().UnicastAddresses.Select(u => u.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw EngineException.Invalid($"interface {host} has no usable IPv4 address");
    }

    /// <summary>The host's only address (IPv4 first), as dockerd's resolveSystemAddr chooses it.</summary>
    private static IPAddress SystemAddress(IReadOnlySet<string> ownInterfaces)
    {
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus != OperationalStatus.Down && n.NetworkInterfaceType != NetworkInterfaceType.Loopback && !ownInterfaces.Contains(n.Name))
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => (Interface: n.Name, u.Address)))
            .Where(c => !IPAddress.IsLoopback(c.Address) && !c.Address.IsIPv6LinkLocal && !IsV4LinkLocal(c.Address))
            .ToList();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var found = candidates.Where(c => c.Address.AddressFamily == family).DistinctBy(c => c.Address).ToList();
            if (found.Count == 1) return found[0].Address;
            if (found.Count > 1)
                throw EngineException.Invalid($"could not choose an IP address to advertise since this system has multiple addresses on different interfaces ({found[0].Address} on {found[0].Interface} and {found[1].Address} on {found[1].Interface})");
        }
        throw EngineException.Invalid("could not find the system's IP address - please specify one with --advertise-addr");
    }

    private static bool IsV4LinkLocal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..];

    private static string Join(IPAddress ip, int port) =>
        ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
}
