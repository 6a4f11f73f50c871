namespace Wharf.Core.Cluster;

/// <summary>How a <see cref="ClusterCompare"/> relates the key's field (left) to the given value (right).</summary>
public enum ClusterCompareOp
{
    Equal,
    NotEqual,
    Greater,
    Less,
}
