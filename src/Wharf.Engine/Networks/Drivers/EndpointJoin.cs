using System.Net;
using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>Where and how an endpoint is wired: the container's pinned namespace, the MTU the service decided for the
/// network, the endpoint's addresses with prefix (from IPAM), and the gateways of its default route (none when
/// another network carries it, or the network is internal). A driver that routes without a gateway (ipvlan l3)
/// drops them.</summary>
public sealed record EndpointJoin(string NamespacePath, int Mtu, IReadOnlyList<NetAddress> Addresses, IPAddress? Gateway, IPAddress? Gateway6)
{
    /// <summary>The IPv4 address was asked for (--ip), not chosen by the local IPAM: a driver with addresses of its own
    /// (the overlay's cluster-wide ones) must give exactly it or refuse.</summary>
    public bool StaticIPv4 { get; init; }
}
