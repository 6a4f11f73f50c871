namespace Wharf.Engine.Cluster;

/// <summary>Who holds a cluster-wide address: the node and the endpoint (or "gateway").</summary>
public sealed record ClusterAddressClaim(string Node, string Owner);
