namespace Wharf.Core.Cluster;

/// <summary>A failed cluster store call; <see cref="Error"/> says which kind of failure it is.</summary>
public sealed class ClusterStoreException : Exception
{
    public ClusterStoreException(ClusterStoreError error, string message, Exception? inner = null) : base(message, inner) =>
        Error = error;

    public ClusterStoreError Error { get; }
}
