using System.Net;
using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Cluster;

/// <summary>Cluster-wide addresses of a global network (issue 18 §2): every address in use is one key
/// (<see cref="ClusterKeys.Address"/>) created by a transaction that holds only while the key is absent, so daemons
/// allocating at the same time never hand out one address twice — the loser of a race takes the next free one.
/// Claims live under the owning node's lease: a node that dies gives its addresses back when its lease runs out.</summary>
public sealed class ClusterIpam(IClusterStore store)
{
    /// <summary>Claims an address of <paramref name="subnet"/> (within <paramref name="range"/> when given) for
    /// <paramref name="owner"/> on <paramref name="node"/>: <paramref name="requested"/> when given (Forbidden
    /// "Address already in use" when another endpoint anywhere holds it), else the lowest free one that is not
    /// <paramref name="reserved"/> (the gateway, auxiliary addresses). With a <paramref name="guard"/> every claim
    /// also holds on it (the network exists and is not being removed) and the guard's refusal is thrown when it fails.</summary>
    public async Task<IPAddress> AllocateAsync(
        string networkId, string networkName, Subnet subnet, Subnet? range, IPAddress? requested,
        string node, string owner, long lease, CancellationToken cancellationToken = default, IReadOnlySet<IPAddress>? reserved = null,
        ClusterNetworkGuard? guard = null)
    {
        var claim = ClaimOf(node, owner);
        if (requested is not null)
        {
            if (!subnet.Contains(requested))
            {
                throw EngineException.Invalid($"no configured subnet contains IP address {requested}");
            }

            return await TryClaimAsync(networkId, requested, claim, lease, guard, cancellationToken)
                ? requested
                : throw new EngineException(ErrorKind.Forbidden, "Address already in use");
        }

        var taken = (await store.ListAsync(ClusterKeys.Addresses(networkId), cancellationToken)).Entries
            .Select(e => IPAddress.Parse(e.Key[ClusterKeys.Addresses(networkId).Length..]))
            .ToHashSet();
        taken.UnionWith(reserved ?? new HashSet<IPAddress>());
        while (true)
        {
            // Throws "no available addresses" once the pool is exhausted.
            var candidate = Networks.Ipam.Allocate(subnet, range, taken, networkName);
            if (await TryClaimAsync(networkId, candidate, claim, lease, guard, cancellationToken))
            {
                return candidate;
            }

            // Another daemon won this one a moment ago: it is taken now, move on without listing again.
            taken.Add(candidate);
        }
    }

    /// <summary>Gives <paramref name="address"/> back if <paramref name="owner"/> still holds it (a claim that
    /// expired and was taken by someone else is left alone). True when it was released.</summary>
    public async Task<bool> ReleaseAsync(string networkId, IPAddress address, string node, string owner, CancellationToken cancellationToken = default)
    {
        var key = ClusterKeys.Address(networkId, address);
        var claim = ClaimOf(node, owner);
        var result = await store.CommitAsync(
            new ClusterTransaction([ClusterCompare.ValueEquals(key, claim)], [ClusterOperation.Delete(key)]), cancellationToken);
        return result.Succeeded;
    }

    /// <summary>The value of <paramref name="owner"/>'s claim on <paramref name="node"/>, as stored (what a compare on
    /// the claim's key holds on).</summary>
    public static byte[] ClaimOf(string node, string owner) =>
        JsonSerializer.SerializeToUtf8Bytes(new ClusterAddressClaim(node, owner), ClusterJsonContext.Default.ClusterAddressClaim);

    /// <summary>Every address claimed on the network now, with its holder.</summary>
    public async Task<IReadOnlyDictionary<IPAddress, ClusterAddressClaim>> ListAsync(string networkId, CancellationToken cancellationToken = default)
    {
        var prefix = ClusterKeys.Addresses(networkId);
        var range = await store.ListAsync(prefix, cancellationToken);
        return range.Entries.ToDictionary(
            e => IPAddress.Parse(e.Key[prefix.Length..]),
            e => JsonSerializer.Deserialize(e.Value, ClusterJsonContext.Default.ClusterAddressClaim)!);
    }

    /// <summary>True when the address was free and is ours now; false when someone holds it. A failed guard throws
    /// its refusal (the failure of one transaction does not say which compare failed: the guard is asked again).</summary>
    private async Task<bool> TryClaimAsync(string networkId, IPAddress address, byte[] claim, long lease, ClusterNetworkGuard? guard, CancellationToken cancellationToken)
    {
        var key = ClusterKeys.Address(networkId, address);
        var result = await store.CommitAsync(
            new ClusterTransaction([ClusterCompare.Absent(key), .. guard?.Compares ?? []], [ClusterOperation.Put(key, claim, lease)]), cancellationToken);
        if (result.Succeeded) return true;
        if (guard is not null && await guard.RefusalAsync(cancellationToken) is { } refusal) throw refusal;
        return false;
    }
}
