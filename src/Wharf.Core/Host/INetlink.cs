using System.Net;

namespace Wharf.Core.Host;

/// <summary>Kernel network configuration (rtnetlink). Implemented by Wharf.Linux without spawning `ip`; faked in
/// tests. Operations are idempotent where noted so teardown and reconciliation can repeat them.</summary>
public interface INetlink
{
    /// <summary>Creates the bridge when missing, sets MTU (0 = leave), adds the addresses (existing ones are kept)
    /// and brings it up.</summary>
    void EnsureBridge(string name, int mtu, IReadOnlyList<NetAddress> addresses);

    /// <summary>Creates a VLAN sub-interface "parent.N" of <paramref name="parent"/> when missing and brings it up.</summary>
    void EnsureVlan(string name, string parent, int vlanId);

    /// <summary>Creates the link described by <paramref name="request"/> (see <see cref="LinkRequest"/>).</summary>
    void CreateLink(LinkRequest request);

    /// <summary>Configures interfaces inside the namespace pinned at <paramref name="namespacePath"/>: loopback up,
    /// then each interface's addresses, link up and default route.</summary>
    void ConfigureInNamespace(string namespacePath, IReadOnlyList<NamespaceInterface> interfaces);

    /// <summary>Deletes a link in the daemon's namespace (or inside <paramref name="namespacePath"/>). Missing is not an error.</summary>
    void DeleteLink(string name, string? namespacePath = null);

    bool LinkExists(string name);

    /// <summary>The IPv4 destinations routed on the host (to keep new subnets clear of them).</summary>
    IReadOnlyList<NetAddress> HostRoutes();

    /// <summary>Creates a VXLAN link <paramref name="name"/> (VNI <paramref name="vni"/>) sourcing from
    /// <paramref name="local"/> on UDP <paramref name="port"/>, over <paramref name="underlay"/> when given; learning
    /// off (entries come from the control plane); MTU <paramref name="mtu"/> (0 = the kernel's) and enslaved to the
    /// bridge <paramref name="master"/> when given; then up.</summary>
    void CreateVxlan(string name, int vni, string? underlay, IPAddress? local, int port = 4789, int mtu = 0, string? master = null);

    /// <summary>Adds (or replaces) a permanent neighbour entry: with <paramref name="fdb"/> a forwarding entry "MAC is
    /// reached through the VTEP <paramref name="destination"/>" on a VXLAN link, otherwise an ARP/NDP entry
    /// "<paramref name="destination"/> has MAC".</summary>
    void AddNeighbour(string link, string mac, IPAddress destination, bool fdb);

    /// <summary>Appends an FDB entry on a VXLAN link without replacing the MAC's other destinations: with the all-zero
    /// MAC this is `bridge fdb append 00:00:00:00:00:00 dst PEER`, one more VTEP that broadcasts (ARP) are sent to.</summary>
    void AppendFdb(string link, string mac, IPAddress destination);

    /// <summary>Removes one neighbour (or, with <paramref name="fdb"/>, one FDB destination) entry.</summary>
    void DeleteNeighbour(string link, string mac, IPAddress destination, bool fdb);

    /// <summary>The neighbour entries (ARP/NDP, or with <paramref name="fdb"/> the FDB) of one link.</summary>
    IReadOnlyList<NeighbourEntry> Neighbours(string link, bool fdb);
}
