namespace Wharf.Engine.Cluster;

/// <summary>An endpoint of a global network as every daemon sees it: where it lives (<see cref="Node"/>, the VTEP
/// address its VXLAN traffic goes to), its overlay address and MAC, and its container's name (for DNS across
/// hosts).</summary>
public sealed record ClusterEndpoint(string NetworkId, string EndpointId, string Node, string Address, string MacAddress, string Name)
{
    /// <summary>Every name the endpoint answers to on the network (container name, short id, aliases, hostname).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];
}
