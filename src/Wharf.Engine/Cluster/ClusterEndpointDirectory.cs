using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;

namespace Wharf.Engine.Cluster;

/// <summary>The endpoints of global networks in the cluster store (issue 18 §3): each daemon publishes its own under
/// its node lease, and follows the others' through a watch, turning them into <see cref="OverlayPeerChange"/>s for the
/// data plane (FDB and neighbour entries). A follower survives the store going away: on a watch failure it waits,
/// lists again and hands out the difference between what it had and what is there now, so entries of endpoints
/// removed meanwhile (or of a node whose lease ran out) are taken away too.</summary>
public sealed class ClusterEndpointDirectory(IClusterStore store, TimeProvider? time = null)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(3);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Publishes <paramref name="endpoint"/> under <paramref name="lease"/> (its node's).</summary>
    public Task PublishAsync(ClusterEndpoint endpoint, long lease, CancellationToken cancellationToken = default) =>
        store.PutAsync(
            ClusterKeys.Endpoint(endpoint.NetworkId, endpoint.EndpointId),
            JsonSerializer.SerializeToUtf8Bytes(endpoint, ClusterJsonContext.Default.ClusterEndpoint),
            lease,
            cancellationToken);

    /// <summary>Publishes <paramref name="endpoint"/> only while the network is in the store and the endpoint's address
    /// claim (<paramref name="claimKey"/>, <paramref name="claim"/>) still stands, in one transaction: a removal of the
    /// network deletes claims and endpoints together, so an endpoint published after it would be one on a network that
    /// is gone. Throws the guard's refusal, or Conflict when the claim was lost.</summary>
    public async Task PublishAsync(ClusterEndpoint endpoint, long lease, ClusterNetworkGuard guard, string claimKey, byte[] claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(guard);
        var key = ClusterKeys.Endpoint(endpoint.NetworkId, endpoint.EndpointId);
        var value = JsonSerializer.SerializeToUtf8Bytes(endpoint, ClusterJsonContext.Default.ClusterEndpoint);
        var result = await store.CommitAsync(
            new ClusterTransaction([ClusterCompare.Present(ClusterKeys.Network(endpoint.NetworkId)), ClusterCompare.ValueEquals(claimKey, claim)], [ClusterOperation.Put(key, value, lease)]),
            cancellationToken);
        if (result.Succeeded) return;
        throw await guard.RefusalAsync(cancellationToken)
            ?? EngineException.Conflict($"the address {endpoint.Address} of endpoint {endpoint.Name} was released in the cluster store before it was published");
    }

    public Task<bool> WithdrawAsync(string networkId, string endpointId, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(ClusterKeys.Endpoint(networkId, endpointId), cancellationToken);

    /// <summary>Every endpoint of the network, on every node.</summary>
    public async Task<IReadOnlyList<ClusterEndpoint>> ListAsync(string networkId, CancellationToken cancellationToken = default) =>
        (await store.ListAsync(ClusterKeys.Endpoints(networkId), cancellationToken)).Entries.Select(Parse).ToList();

    /// <summary>Hands <paramref name="apply"/> the peers of <paramref name="networkId"/> on nodes other than
    /// <paramref name="localNode"/>: first those there now, then every change, in order, until cancelled. A
    /// <paramref name="resync"/> request makes it list again at once and hand out the difference.</summary>
    public async Task FollowAsync(
        string networkId, string localNode, Func<OverlayPeerChange, Task> apply, CancellationToken cancellationToken, FollowerResync? resync = null)
    {
        var prefix = ClusterKeys.Endpoints(networkId);
        var known = new Dictionary<string, OverlayPeer>(StringComparer.Ordinal);
        var delay = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, resync?.Round ?? CancellationToken.None);
            try
            {
                var range = await store.ListAsync(prefix, round.Token);
                var now = range.Entries.Select(Parse).Where(e => e.Node != localNode)
                    .ToDictionary(e => e.EndpointId, ToPeer, StringComparer.Ordinal);
                foreach (var gone in known.Values.Where(p => !now.TryGetValue(p.EndpointId, out var still) || still != p).ToList())
                {
                    known.Remove(gone.EndpointId);
                    await apply(new OverlayPeerChange(false, gone));
                }

                foreach (var peer in now.Values.Where(p => !known.ContainsKey(p.EndpointId)))
                {
                    known[peer.EndpointId] = peer;
                    await apply(new OverlayPeerChange(true, peer));
                }

                await foreach (var change in store.WatchAsync(prefix, range.Revision + 1, round.Token))
                {
                    delay = FirstRetry;
                    var endpointId = change.Entry.Key[prefix.Length..];
                    var peer = change.Kind == ClusterWatchEventKind.Put && Parse(change.Entry) is { } endpoint && endpoint.Node != localNode
                        ? ToPeer(endpoint)
                        : null;
                    known.TryGetValue(endpointId, out var old);
                    if (old == peer)
                    {
                        continue; // rewritten unchanged (or a local endpoint): nothing to program
                    }

                    if (old is not null)
                    {
                        known.Remove(endpointId);
                        await apply(new OverlayPeerChange(false, old));
                    }

                    if (peer is not null)
                    {
                        known[endpointId] = peer;
                        await apply(new OverlayPeerChange(true, peer));
                    }
                }
            }
            catch (ClusterStoreException) when (!cancellationToken.IsCancellationRequested)
            {
                // Unreachable or compacted: list again after a pause, and hand out the difference.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a store client may end a cancelled call with its own exception type (gRPC's)
            catch (Exception) when (round.IsCancellationRequested)
#pragma warning restore CA1031
            {
                if (cancellationToken.IsCancellationRequested) return;
                // A resync was asked for: list again now.
                delay = FirstRetry;
                continue;
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    private static ClusterEndpoint Parse(ClusterEntry entry) =>
        JsonSerializer.Deserialize(entry.Value, ClusterJsonContext.Default.ClusterEndpoint)!;

    private static OverlayPeer ToPeer(ClusterEndpoint endpoint) =>
        new(endpoint.EndpointId, endpoint.Address, endpoint.MacAddress, endpoint.Node,
            string.Join(' ', endpoint.DnsNames.Count > 0 ? endpoint.DnsNames : endpoint.Name.Length > 0 ? [endpoint.Name] : []));
}
