using Wharf.Core.Cluster;
using Wharf.Core.Errors;

namespace Wharf.Engine.Cluster;

/// <summary>What every write that puts an endpoint on a global network also holds on, in the same transaction (issue
/// 18 §2, `network rm` refused while any host has endpoints): the network is still in the store and no removal of it
/// is under way (<see cref="ClusterKeys.Removing"/>). A removal marks the network first and only then counts its
/// address claims, so a join on any host either claimed before the mark (and the removal sees it and is refused) or
/// is refused itself — never an endpoint on a network that is gone.</summary>
public sealed class ClusterNetworkGuard(IClusterStore store, string networkId, string networkName)
{
    public IReadOnlyList<ClusterCompare> Compares { get; } =
        [ClusterCompare.Present(ClusterKeys.Network(networkId)), ClusterCompare.Absent(ClusterKeys.Removing(networkId))];

    /// <summary>Null while the guard holds; else why the join is refused: the network left the store (404, as for a
    /// network that never was), or it is being removed (409).</summary>
    public async Task<EngineException?> RefusalAsync(CancellationToken cancellationToken)
    {
        if ((await store.CommitAsync(new ClusterTransaction(Compares, []), cancellationToken)).Succeeded) return null;
        return await store.GetAsync(ClusterKeys.Network(networkId), cancellationToken) is null
            ? EngineException.NotFound($"network {networkName} not found")
            : EngineException.Conflict($"network {networkName} id {networkId} is being removed");
    }
}
