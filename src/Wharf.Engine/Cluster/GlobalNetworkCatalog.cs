using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wharf.Core.Cluster;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Cluster;

/// <summary>Keeps this daemon's records of global networks in step with the cluster store (issue 18 §2): a network
/// created on another host is adopted (`network ls`, `inspect`, `run --network` work here at once), one removed on
/// another host is forgotten. It lists `wharf/networks/` and then watches it from the revision it listed at, so
/// nothing falls between; after a store fault it lists again and reconciles the difference.</summary>
public sealed class GlobalNetworkCatalog : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ForgetRetry = TimeSpan.FromMilliseconds(250);
    private readonly IClusterStore _store;
    private readonly NetworkService _networks;
    private readonly string _node;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private Task? _forgetting;
    // Networks gone from the store that this host could not forget yet: a local endpoint was on them (a join in flight
    // that the store refused — it is rolled back in a moment — or a container kept through a fault). Tried again
    // until forgotten, gone, or back in the store.
    private readonly HashSet<string> _unforgotten = new(StringComparer.Ordinal);
    private int _disposed;

    /// <param name="node">This daemon's node name: networks it created itself are saved by its own create, not adopted
    /// from the watch.</param>
    public GlobalNetworkCatalog(IClusterStore store, NetworkService networks, string node, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(networks);
        _store = store;
        _networks = networks;
        _node = node;
        _logger = logger;
    }

    /// <summary>Set once the first listing has been reconciled (tests and callers that must see the store's networks).</summary>
    public Task Synchronized => _synchronized.Task;

    private readonly TaskCompletionSource _synchronized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start()
    {
        _running = Task.Run(() => RunAsync(_stop.Token));
        _forgetting = Task.Run(() => ForgetLaterAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        foreach (var task in new[] { _running, _forgetting })
        {
            if (task is null) continue;
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
                // Stopped, as asked.
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = FirstRetry;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var range = await _store.ListAsync(ClusterKeys.NetworksRoot, stop);
                Reconcile(range.Entries);
                _synchronized.TrySetResult();
                delay = FirstRetry;
                await foreach (var change in _store.WatchAsync(ClusterKeys.NetworksRoot, range.Revision + 1, stop))
                {
                    if (change.Kind == ClusterWatchEventKind.Put)
                    {
                        if (Parse(change.Entry) is { } network && network.Node != _node) Adopt(network);
                    }
                    else
                    {
                        Forget(change.Entry.Key[ClusterKeys.NetworksRoot.Length..]);
                    }
                }
            }
            catch (ClusterStoreException e) when (!stop.IsCancellationRequested)
            {
                OverlayLog.CatalogRetry(_logger, e.Message);
            }
            catch (ClusterStoreException) when (stop.IsCancellationRequested)
            {
                return; // the store failed just as we were told to stop: stopping is what counts
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    /// <summary>Every network of the store known here; every global network known here and gone from the store
    /// forgotten (unless this host's containers are on it: see <see cref="NetworkService.ForgetGlobal"/>).</summary>
    private void Reconcile(IReadOnlyList<ClusterEntry> entries)
    {
        var inStore = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (Parse(entry) is not { } network) continue;
            inStore.Add(network.Id);
            Adopt(network);
        }

        foreach (var local in _networks.GlobalNetworks().Where(n => !inStore.Contains(n.Id)))
            Forget(local.Id);
    }

    private void Forget(string networkId)
    {
        if (_networks.ForgetGlobal(networkId) || !_networks.TryGet(networkId, out _)) return;
        lock (_unforgotten) _unforgotten.Add(networkId);
    }

    private async Task ForgetLaterAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ForgetRetry, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<string> pending;
            lock (_unforgotten) pending = [.. _unforgotten];
            foreach (var id in pending)
            {
                if (!_networks.ForgetGlobal(id) && _networks.TryGet(id, out _)) continue;
                lock (_unforgotten) _unforgotten.Remove(id);
            }
        }
    }

    private void Adopt(ClusterNetwork network)
    {
        lock (_unforgotten) _unforgotten.Remove(network.Id);
        try
        {
            _networks.AdoptGlobal(network.ToRecord());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            OverlayLog.NetworkNotAdopted(_logger, network.Name, e.Message);
        }
    }

    private ClusterNetwork? Parse(ClusterEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize(entry.Value, ClusterJsonContext.Default.ClusterNetwork);
        }
        catch (JsonException e)
        {
            OverlayLog.NetworkNotAdopted(_logger, entry.Key, e.Message);
            return null;
        }
    }
}
