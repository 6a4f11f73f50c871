using System.Net;

namespace Wharf.Engine.Cluster;

/// <summary>The layout of Wharf's keys in the cluster store, in one place (docs/layout.md shows it as a tree):
/// <code>
/// wharf/nodes/NODE                  → ClusterNode (under the node's lease)
/// wharf/ipam/NETWORK-ID/ADDRESS     → ClusterAddressClaim (under the owning node's lease)
/// wharf/ipam-last/NETWORK-ID        → the address handed out last (no lease: where the next allocation starts)
/// wharf/endpoints/NETWORK-ID/EP-ID  → ClusterEndpoint (under the owning node's lease)
/// wharf/networks/NETWORK-ID         → ClusterNetwork (a global network; no lease: it outlives its creator)
/// wharf/network-names/NAME          → NETWORK-ID (created only while absent: one network per name)
/// wharf/vni/VNI                     → NETWORK-ID (created only while absent: one network per VNI)
/// wharf/removing/NETWORK-ID         → a removal's token (under a short lease of its own: `network rm` in progress;
///                                     address claims of the network are refused while it is there)
/// </code></summary>
public static class ClusterKeys
{
    public const string Root = "wharf/";
    public const string Nodes = Root + "nodes/";
    public const string Ipam = Root + "ipam/";
    public const string IpamLastRoot = Root + "ipam-last/";
    public const string EndpointsRoot = Root + "endpoints/";

    public const string NetworksRoot = Root + "networks/";
    public const string NetworkNames = Root + "network-names/";
    public const string Vnis = Root + "vni/";
    public const string RemovingRoot = Root + "removing/";

    public static string Network(string id) => NetworksRoot + id;

    public static string NetworkName(string name) => NetworkNames + name;

    public static string Vni(int vni) => Vnis + vni.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Removing(string networkId) => RemovingRoot + networkId;

    public static string Node(string name) => Nodes + name;

    public static string Addresses(string networkId) => Ipam + networkId + "/";

    public static string IpamLast(string networkId) => IpamLastRoot + networkId;

    public static string Address(string networkId, IPAddress address) => Addresses(networkId) + address;

    public static string Endpoints(string networkId) => EndpointsRoot + networkId + "/";

    public static string Endpoint(string networkId, string endpointId) => Endpoints(networkId) + endpointId;
}
