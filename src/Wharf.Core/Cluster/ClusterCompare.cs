namespace Wharf.Core.Cluster;

/// <summary>One condition of a transaction, as etcd compares: a key's field against a value. A missing key has
/// CreateRevision, ModRevision and Version 0 and no value (a value compare on it fails).</summary>
public sealed record ClusterCompare(string Key, ClusterCompareTarget Target, ClusterCompareOp Op, long Number, byte[]? Value = null)
{
    /// <summary>Holds while <paramref name="key"/> does not exist.</summary>
    public static ClusterCompare Absent(string key) => new(key, ClusterCompareTarget.CreateRevision, ClusterCompareOp.Equal, 0);

    /// <summary>Holds while <paramref name="key"/> exists.</summary>
    public static ClusterCompare Present(string key) => new(key, ClusterCompareTarget.CreateRevision, ClusterCompareOp.Greater, 0);

    /// <summary>Holds while <paramref name="key"/> was last written at <paramref name="modRevision"/> (0: absent) —
    /// the compare-and-swap of a read-modify-write.</summary>
    public static ClusterCompare Unchanged(string key, long modRevision) =>
        new(key, ClusterCompareTarget.ModRevision, ClusterCompareOp.Equal, modRevision);

    /// <summary>Holds while <paramref name="key"/>'s value is exactly <paramref name="value"/>.</summary>
    public static ClusterCompare ValueEquals(string key, ReadOnlySpan<byte> value) =>
        new(key, ClusterCompareTarget.Value, ClusterCompareOp.Equal, 0, value.ToArray());
}
