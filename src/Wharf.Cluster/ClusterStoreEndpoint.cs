namespace Wharf.Cluster;

/// <summary>One etcd member a daemon may talk to.</summary>
public sealed record ClusterStoreEndpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
