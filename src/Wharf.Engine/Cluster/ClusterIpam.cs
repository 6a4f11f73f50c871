using System.Net;
using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Cluster;

/// <summary>Cluster-wide addresses of a global network (issue 18 §2): every address in use is one key
/// (<see cref="ClusterKeys.Address"/>) created by a transaction that holds only while the key is absent, so daemons
/// allocating at the same time never hand out one address twice — the loser of a race takes the next free one.
/// Claims live under the owning node's lease: a node that dies gives its addresses back when its lease runs out.
/// Automatic addresses are handed out serially (as Docker's IPAM does for swarm-scope networks): from after the one
/// handed out last (<see cref="ClusterKeys.IpamLast"/>), wrapping around, so a released address — or the claim of a
/// host merely cut from the store until its lease ran out — is not given to a new endpoint at once while that host
/// may come back and claim it again (<see cref="ReclaimAsync"/>).</summary>
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
        var last = await store.GetAsync(ClusterKeys.IpamLast(networkId), cancellationToken) is { } entry
            && IPAddress.TryParse(System.Text.Encoding.UTF8.GetString(entry.Value), out var previous) ? previous : null;
        while (true)
        {
            // Throws "no available addresses" once the pool is exhausted.
            var candidate = NextFree(subnet, range, taken, last) ?? Networks.Ipam.Allocate(subnet, range, taken, networkName);
            if (await TryClaimAsync(networkId, candidate, claim, lease, guard, cancellationToken, advanceCursor: true))
            {
                return candidate;
            }

            // Another daemon won this one a moment ago: it is taken now, move on without listing again.
            taken.Add(candidate);
        }
    }

    /// <summary>Claims <paramref name="address"/> again for <paramref name="owner"/> under <paramref name="lease"/>
    /// (its node's new one, after the old lease ran out while the node was cut from the store): free, or still held
    /// by the same owner, it is ours again (null); held by another endpoint meanwhile, that holder is returned and
    /// nothing changes (a real conflict the caller reports). A failed guard throws its refusal.</summary>
    public async Task<ClusterAddressClaim?> ReclaimAsync(
        string networkId, IPAddress address, string node, string owner, long lease, ClusterNetworkGuard? guard = null, CancellationToken cancellationToken = default)
    {
        var key = ClusterKeys.Address(networkId, address);
        var claim = ClaimOf(node, owner);
        while (true)
        {
            if (await TryClaimAsync(networkId, address, claim, lease, guard, cancellationToken, advanceCursor: false)) return null;
            // Held: by us (under the old lease still alive, or re-claimed already) → attach it to the current lease.
            var held = await store.CommitAsync(
                new ClusterTransaction([ClusterCompare.ValueEquals(key, claim), .. guard?.Compares ?? []], [ClusterOperation.Put(key, claim, lease)]), cancellationToken);
            if (held.Succeeded) return null;
            if (guard is not null && await guard.RefusalAsync(cancellationToken) is { } refusal) throw refusal;
            if (await store.GetAsync(key, cancellationToken) is { } other)
                return JsonSerializer.Deserialize(other.Value, ClusterJsonContext.Default.ClusterAddressClaim)!;
            // Released between the two attempts: claim it again.
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
    private async Task<bool> TryClaimAsync(
        string networkId, IPAddress address, byte[] claim, long lease, ClusterNetworkGuard? guard, CancellationToken cancellationToken, bool advanceCursor = false)
    {
        var key = ClusterKeys.Address(networkId, address);
        List<ClusterOperation> writes = [ClusterOperation.Put(key, claim, lease)];
        if (advanceCursor) writes.Add(ClusterOperation.Put(ClusterKeys.IpamLast(networkId), System.Text.Encoding.UTF8.GetBytes(address.ToString())));
        var result = await store.CommitAsync(
            new ClusterTransaction([ClusterCompare.Absent(key), .. guard?.Compares ?? []], writes), cancellationToken);
        if (result.Succeeded) return true;
        if (guard is not null && await guard.RefusalAsync(cancellationToken) is { } refusal) throw refusal;
        return false;
    }

    /// <summary>The first address not <paramref name="taken"/> after <paramref name="last"/> (from the start of the
    /// pool when there is none or it is outside), wrapping around; null when the scan finds none (the caller then
    /// asks the plain allocator, which says the pool is exhausted in Docker's words). The pool's bounds are those of
    /// <see cref="Networks.Ipam.Allocate"/>: the network address and the first of an ip-range are never handed out.</summary>
    private static IPAddress? NextFree(Subnet subnet, Subnet? range, HashSet<IPAddress> taken, IPAddress? last)
    {
        var first = UInt128.Max(subnet.First + 1, range is null ? UInt128.Zero : range.First + 1);
        var end = range is null ? subnet.Last - 1 : UInt128.Min(range.Last, subnet.Last - 1);
        if (end < first) return null;
        var size = end - first + 1;
        var family = subnet.Network.AddressFamily;
        var start = last is not null && last.AddressFamily == family && Subnet.ToNumber(last) is var n && n >= first && n < end ? n + 1 - first : UInt128.Zero;
        // Among taken.Count + 1 consecutive addresses one is free unless the pool is full: a bounded scan.
        var tries = UInt128.Min(size, (UInt128)taken.Count + 1);
        for (UInt128 k = 0; k < tries; k++)
        {
            var candidate = Subnet.FromNumber(first + (start + k) % size, family);
            if (!taken.Contains(candidate)) return candidate;
        }

        return null;
    }
}
