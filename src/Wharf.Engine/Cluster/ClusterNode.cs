namespace Wharf.Engine.Cluster;

/// <summary>A daemon taking part in the cluster: its name (the host name unless configured), the underlay address
/// other daemons reach it on (`--cluster-advertise`), and when it registered.</summary>
public sealed record ClusterNode(string Name, string AdvertiseAddress, DateTimeOffset Registered);
