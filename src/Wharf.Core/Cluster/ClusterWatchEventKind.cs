namespace Wharf.Core.Cluster;

public enum ClusterWatchEventKind
{
    Put,
    Delete,
}
