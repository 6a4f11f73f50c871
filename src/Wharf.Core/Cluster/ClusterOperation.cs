namespace Wharf.Core.Cluster;

/// <summary>One write of a transaction: a put (optionally under a lease), a delete of one key, or a delete of every
/// key under a prefix.</summary>
public sealed record ClusterOperation(ClusterOperationKind Kind, string Key, byte[]? Value = null, long Lease = 0)
{
    public static ClusterOperation Put(string key, ReadOnlySpan<byte> value, long lease = 0) =>
        new(ClusterOperationKind.Put, key, value.ToArray(), lease);

    public static ClusterOperation Delete(string key) => new(ClusterOperationKind.Delete, key);

    public static ClusterOperation DeletePrefix(string prefix) => new(ClusterOperationKind.DeletePrefix, prefix);
}
