using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Wharf.Daemon.Configuration;

/// <summary>`--cluster-advertise` as dockerd takes it: "IP", "IP:PORT", "INTERFACE" or "INTERFACE:PORT"; an interface
/// stands for its first IPv4 address. Only the address matters to Wharf (the data plane is VXLAN on UDP 4789); a port
/// is accepted and kept for display.</summary>
internal static class AdvertiseAddress
{
    /// <summary>The IP other daemons reach this one on. Throws <see cref="ArgumentException"/> naming the problem.</summary>
    public static IPAddress Resolve(string advertise)
    {
        var host = advertise;
        var colon = advertise.LastIndexOf(':');
        if (colon > 0 && !advertise.EndsWith(']') && advertise.Count(c => c == ':') == 1)
        {
            host = advertise[..colon];
            if (!int.TryParse(advertise[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw new ArgumentException($"invalid --cluster-advertise \"{advertise}\": bad port");
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
                throw new ArgumentException($"invalid --cluster-advertise \"{advertise}\": other hosts cannot reach {ip}");
            return ip;
        }

        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == host)
            ?? throw new ArgumentException($"invalid --cluster-advertise \"{advertise}\": no interface or IP address \"{host}\"");
        return nic.GetIPProperties().UnicastAddresses.Select(u => u.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new ArgumentException($"invalid --cluster-advertise \"{advertise}\": interface {host} has no IPv4 address");
    }
}
