namespace Wharf.Core.Cluster;

public enum ClusterOperationKind
{
    Put,
    Delete,
    DeletePrefix,
}
