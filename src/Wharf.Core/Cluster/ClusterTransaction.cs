namespace Wharf.Core.Cluster;

/// <summary>If every <see cref="Compares"/> holds then <see cref="Success"/> else <see cref="Failure"/>, as one atomic
/// step (etcd's Txn). No key may be written twice in one branch (etcd refuses that).</summary>
public sealed record ClusterTransaction(
    IReadOnlyList<ClusterCompare> Compares,
    IReadOnlyList<ClusterOperation> Success,
    IReadOnlyList<ClusterOperation>? Failure = null);
