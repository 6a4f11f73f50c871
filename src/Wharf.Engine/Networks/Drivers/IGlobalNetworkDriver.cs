namespace Wharf.Engine.Networks.Drivers;

/// <summary>A driver of global networks (overlay): `network rm` of one of its networks is decided in the cluster store,
/// for every host at once, not by this host's records alone (issue 18 §2).</summary>
public interface IGlobalNetworkDriver
{
    /// <summary>Starts removing <paramref name="network"/> cluster-wide: from now on no host can put an endpoint on it,
    /// and none has one but possibly this host (whose own endpoints the service counts). Throws a 403 in Docker's words
    /// when another host has endpoints on it, a 409 when a removal is already under way, and
    /// <see cref="Wharf.Core.Cluster.ClusterStoreException"/> when the store cannot be reached — each leaving the network
    /// as it was. Null when the store no longer has the network (removed from another host): only this host's record
    /// is left to drop.</summary>
    ValueTask<IGlobalNetworkRemoval?> BeginRemovalAsync(NetworkRecord network, CancellationToken ct);

    /// <summary>At `docker create`/`run`, before anything of the container exists: the network is still in the cluster
    /// store and no removal of it is under way (404/409), and the store answers at all
    /// (<see cref="Wharf.Core.Cluster.ClusterStoreException"/>, a 503) — so an unreachable store refuses the container
    /// with a clear error instead of leaving one that cannot start.</summary>
    ValueTask CheckJoinableAsync(NetworkRecord network, CancellationToken ct);
}
