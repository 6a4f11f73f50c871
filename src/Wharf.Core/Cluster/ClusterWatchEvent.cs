namespace Wharf.Core.Cluster;

/// <summary>One change seen by a watch. For a delete, <see cref="Entry"/> has the key, an empty value and the
/// revision of the delete as its ModRevision. A key removed because its lease expired arrives as a delete.</summary>
public sealed record ClusterWatchEvent(ClusterWatchEventKind Kind, ClusterEntry Entry);
