namespace Wharf.Engine.Cluster;

/// <summary>A global (overlay) network as the cluster store keeps it: the same id, name and VNI on every host, and
/// the subnets its addresses come from.</summary>
public sealed record ClusterNetwork(string Id, string Name, int Vni, IReadOnlyList<string> Subnets);
