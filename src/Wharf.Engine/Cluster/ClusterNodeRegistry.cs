using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;

namespace Wharf.Engine.Cluster;

/// <summary>This daemon's registration in the cluster (issue 18 §1): a key under a lease that a background loop
/// renews every heartbeat. When the daemon dies the lease runs out and etcd removes the node key and every key the
/// node put under the lease (its address claims), so the others see it go and its addresses return to the pool.
/// A daemon restarted before that resumes its old lease (<see cref="Lease"/> is persisted by the caller), so its
/// endpoints stay. If the lease was lost anyway (the store was unreachable for longer than the TTL), the loop
/// registers again under a new lease and raises <see cref="LeaseReplaced"/>, so owners of leased keys put them back.</summary>
public sealed class ClusterNodeRegistry : IAsyncDisposable
{
    private readonly IClusterStore _store;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _registered;

    public ClusterNodeRegistry(IClusterStore store, string name, string advertiseAddress, TimeSpan ttl, TimeSpan heartbeat, TimeProvider? time = null)
    {
        _store = store;
        _ttl = ttl;
        _heartbeat = heartbeat;
        _time = time ?? TimeProvider.System;
        Name = name;
        AdvertiseAddress = advertiseAddress;
    }

    public string Name { get; }
    public string AdvertiseAddress { get; }

    /// <summary>The lease the node's keys live under (0 before <see cref="StartAsync"/>).</summary>
    public long Lease { get; private set; }

    /// <summary>Raised (with the new lease) after the node had to register under a new lease.</summary>
    public event Func<long, Task>? LeaseReplaced;

    /// <summary>Registers the node, resuming <paramref name="previousLease"/> when it is still alive, and starts the
    /// keep-alive loop. Throws <see cref="ErrorKind.Conflict"/> when another live daemon has this node name.</summary>
    public async Task StartAsync(long previousLease = 0, CancellationToken cancellationToken = default)
    {
        Lease = await ResumeOrGrantAsync(previousLease, cancellationToken);
        await RegisterAsync(cancellationToken);
        _loop = Task.Run(() => KeepAliveLoopAsync(_stop.Token), CancellationToken.None);
        // The daemon was down longer than its lease: what it had published under the old one (endpoints of containers
        // that kept running) went with it, and its owners put it back as after a lease lost while running.
        if (previousLease != 0 && Lease != previousLease) await RaiseLeaseReplacedAsync();
    }

    /// <summary>Every node registered now.</summary>
    public async Task<IReadOnlyList<ClusterNode>> ListAsync(CancellationToken cancellationToken = default)
    {
        var range = await _store.ListAsync(ClusterKeys.Nodes, cancellationToken);
        return range.Entries.Select(e => JsonSerializer.Deserialize(e.Value, ClusterJsonContext.Default.ClusterNode)!).ToList();
    }

    /// <summary>Stops renewing; with <paramref name="revoke"/> also ends the lease, so the node and its claims leave
    /// the cluster at once (a clean shutdown that keeps nothing); without it they outlive us for one TTL, which is
    /// what a restart wants.</summary>
    public async Task StopAsync(bool revoke)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        if (revoke && Lease != 0)
        {
            await _store.RevokeLeaseAsync(Lease);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(revoke: false);
        _stop.Dispose();
    }

    private async Task<long> ResumeOrGrantAsync(long previousLease, CancellationToken cancellationToken)
    {
        if (previousLease != 0)
        {
            try
            {
                await _store.KeepAliveAsync(previousLease, cancellationToken);
                return previousLease;
            }
            catch (ClusterStoreException e) when (e.Error == ClusterStoreError.LeaseNotFound)
            {
                // Expired while we were down: our old keys are gone; start afresh.
            }
        }

        return await _store.GrantLeaseAsync(_ttl, cancellationToken);
    }

    // Puts the node key under our lease unless another daemon (another advertise address) holds the name.
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var key = ClusterKeys.Node(Name);
        var value = JsonSerializer.SerializeToUtf8Bytes(
            new ClusterNode(Name, AdvertiseAddress, _time.GetUtcNow()), ClusterJsonContext.Default.ClusterNode);
        while (true)
        {
            var existing = await _store.GetAsync(key, cancellationToken);
            if (existing is not null && existing.Lease != Lease)
            {
                var other = JsonSerializer.Deserialize(existing.Value, ClusterJsonContext.Default.ClusterNode);
                if (other?.AdvertiseAddress != AdvertiseAddress)
                {
                    throw EngineException.Conflict(
                        $"cluster node name \"{Name}\" is already registered by the daemon at {other?.AdvertiseAddress}");
                }
            }

            var result = await _store.CommitAsync(new ClusterTransaction(
                [ClusterCompare.Unchanged(key, existing?.ModRevision ?? 0)], [ClusterOperation.Put(key, value, Lease)]), cancellationToken);
            if (result.Succeeded)
            {
                _registered = true;
                return;
            }
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_heartbeat, _time, stop);
                if (_registered)
                {
                    await _store.KeepAliveAsync(Lease, stop);
                }
                else
                {
                    await ReplaceLeaseAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterStoreException e) when (e.Error == ClusterStoreError.LeaseNotFound)
            {
                await ReplaceLeaseAsync(stop);
            }
            catch (ClusterStoreException)
            {
                // Store unreachable: keep trying every heartbeat; the lease may still be alive when it returns.
            }
        }
    }

    private async Task ReplaceLeaseAsync(CancellationToken stop)
    {
        try
        {
            _registered = false;
            Lease = await _store.GrantLeaseAsync(_ttl, stop);
            await RegisterAsync(stop);
            await RaiseLeaseReplacedAsync();
        }
        catch (ClusterStoreException)
        {
            // Not registered yet: the loop tries again (with a fresh lease) on the next heartbeat.
        }
        catch (EngineException)
        {
            // Someone else took the name while we were gone: the loop retries on the next heartbeat.
        }
    }

    private async Task RaiseLeaseReplacedAsync()
    {
        if (LeaseReplaced is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<long, Task>>())
        {
            await handler(Lease);
        }
    }
}
