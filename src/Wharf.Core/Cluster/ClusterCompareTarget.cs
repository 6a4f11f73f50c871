namespace Wharf.Core.Cluster;

/// <summary>What a <see cref="ClusterCompare"/> looks at.</summary>
public enum ClusterCompareTarget
{
    CreateRevision,
    ModRevision,
    Version,
    Value,
}
