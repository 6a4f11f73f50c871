namespace Wharf.Core.Cluster;

/// <summary>The entries under a prefix and the store revision they were read at.</summary>
public sealed record ClusterRange(IReadOnlyList<ClusterEntry> Entries, long Revision);
