using System.Text;
using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Cluster;

/// <summary>`network rm` of an overlay network as one decision in the cluster store (issue 18 §2). It first marks the
/// network as being removed (<see cref="ClusterKeys.Removing"/>, only while the network is there and unmarked): every
/// address claim of a join holds on that key being absent (<see cref="ClusterNetworkGuard"/>), so from the mark on no
/// host can join, and every join that got in before it has its claim in the store. Those claims (and endpoints) are
/// then counted: another host's means 403 and the mark goes. Otherwise the commit deletes the network, its name and
/// VNI, its claims, endpoints and the mark in one transaction that holds only while the mark is still this removal's.
/// The mark lives under a short lease of its own, so a daemon that dies half-way does not block joins for long.</summary>
internal sealed class OverlayNetworkRemoval : IGlobalNetworkRemoval
{
    private static readonly TimeSpan MarkTtl = TimeSpan.FromSeconds(15);
    private readonly IClusterStore _store;
    private readonly NetworkRecord _network;
    private readonly long _lease;
    private readonly byte[] _token;
    private int _done;

    private OverlayNetworkRemoval(IClusterStore store, NetworkRecord network, long lease, byte[] token)
    {
        _store = store;
        _network = network;
        _lease = lease;
        _token = token;
    }

    /// <summary>Marks <paramref name="network"/> and checks that no host but <paramref name="node"/> has endpoints or
    /// address claims on it. Null when the store no longer has the network.</summary>
    public static async Task<OverlayNetworkRemoval?> BeginAsync(IClusterStore store, NetworkRecord network, string node, CancellationToken ct)
    {
        var networkKey = ClusterKeys.Network(network.Id);
        var markKey = ClusterKeys.Removing(network.Id);
        var token = Encoding.UTF8.GetBytes(node + " " + Guid.NewGuid().ToString("N"));
        var lease = await store.GrantLeaseAsync(MarkTtl, ct);
        var removal = new OverlayNetworkRemoval(store, network, lease, token);
        try
        {
            var marked = await store.CommitAsync(new ClusterTransaction(
                [ClusterCompare.Present(networkKey), ClusterCompare.Absent(markKey)], [ClusterOperation.Put(markKey, token, lease)]), ct);
            if (!marked.Succeeded)
            {
                if (await store.GetAsync(networkKey, ct) is null)
                {
                    await removal.DisposeAsync();
                    return null;
                }

                throw EngineException.Conflict($"network {network.Name} id {network.Id} is being removed");
            }

            // Every claim made before the mark is in the store now, and none can be made after it.
            var holders = await HoldersAsync(store, network.Id, ct);
            holders.Remove(node);
            if (holders.Count > 0)
                throw new EngineException(ErrorKind.Forbidden,
                    $"error while removing network: network {network.Name} id {network.Id} has active endpoints on {string.Join(", ", holders.Order(StringComparer.Ordinal))}");
            return removal;
        }
        catch
        {
            await removal.DisposeAsync();
            throw;
        }
    }

    public async ValueTask CommitAsync(CancellationToken ct)
    {
        var networkKey = ClusterKeys.Network(_network.Id);
        var markKey = ClusterKeys.Removing(_network.Id);
        var id = Encoding.UTF8.GetBytes(_network.Id);
        List<ClusterCompare> compares = [ClusterCompare.ValueEquals(markKey, _token)];
        List<ClusterOperation> deletes =
        [
            ClusterOperation.DeletePrefix(ClusterKeys.Addresses(_network.Id)),
            ClusterOperation.DeletePrefix(ClusterKeys.Endpoints(_network.Id)),
            ClusterOperation.Delete(ClusterKeys.IpamLast(_network.Id)),
            ClusterOperation.Delete(markKey),
        ];
        if (await _store.GetAsync(networkKey, ct) is { } stored)
        {
            compares.Add(ClusterCompare.Unchanged(networkKey, stored.ModRevision));
            deletes.Add(ClusterOperation.Delete(networkKey));
            var vni = JsonSerializer.Deserialize(stored.Value, ClusterJsonContext.Default.ClusterNetwork)!.Vni;
            await DeleteIfOursAsync(ClusterKeys.Vni(vni), id, compares, deletes, ct);
        }

        // The name and VNI only while they still point at this network (never another network's that took them).
        await DeleteIfOursAsync(ClusterKeys.NetworkName(_network.Name), id, compares, deletes, ct);
        var result = await _store.CommitAsync(new ClusterTransaction(compares, deletes), ct);
        if (!result.Succeeded)
            throw new EngineException(ErrorKind.Unavailable,
                $"error while removing network: network {_network.Name} id {_network.Id} changed in the cluster store during its removal; try again");
        Interlocked.Exchange(ref _done, 1);
        await ReleaseLeaseAsync();
    }

    /// <summary>Aborts unless committed: the mark goes with its lease (or with the lease's TTL when the store is away).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        await ReleaseLeaseAsync();
    }

    /// <summary>The nodes holding address claims or endpoints on the network now.</summary>
    private static async Task<HashSet<string>> HoldersAsync(IClusterStore store, string networkId, CancellationToken ct)
    {
        var holders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in (await store.ListAsync(ClusterKeys.Addresses(networkId), ct)).Entries)
            holders.Add(JsonSerializer.Deserialize(entry.Value, ClusterJsonContext.Default.ClusterAddressClaim)!.Node);
        foreach (var entry in (await store.ListAsync(ClusterKeys.Endpoints(networkId), ct)).Entries)
            holders.Add(JsonSerializer.Deserialize(entry.Value, ClusterJsonContext.Default.ClusterEndpoint)!.Node);
        return holders;
    }

    private async Task DeleteIfOursAsync(string key, byte[] id, List<ClusterCompare> compares, List<ClusterOperation> deletes, CancellationToken ct)
    {
        if (await _store.GetAsync(key, ct) is not { } entry || !entry.Value.AsSpan().SequenceEqual(id)) return;
        compares.Add(ClusterCompare.Unchanged(key, entry.ModRevision));
        deletes.Add(ClusterOperation.Delete(key));
    }

    private async Task ReleaseLeaseAsync()
    {
        try
        {
            await _store.RevokeLeaseAsync(_lease);
        }
        catch (ClusterStoreException)
        {
            // The lease runs out by itself within MarkTtl.
        }
    }
}
