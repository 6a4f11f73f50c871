using System.Globalization;
using Wharf.Cluster;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Logging;
using Wharf.Engine.Cluster;

namespace Wharf.Daemon;

/// <summary>This daemon's membership of a cluster (issue 18 §1), when `--cluster-store` is set: the etcd client and
/// the node registration (a lease kept alive in the background). Registration does not hold up the start: while the
/// store is unreachable the daemon serves local work and keeps trying. The lease id is kept in
/// data-root/cluster/lease, so a restarted daemon resumes it and its endpoints' claims outlive the restart.</summary>
internal sealed class DaemonCluster : IAsyncDisposable
{
    private readonly string _leaseFile;
    private readonly CancellationTokenSource _stop = new();
    private Task? _registering;
    private GlobalNetworkCatalog? _catalog;

    private DaemonCluster(IClusterStore store, ClusterNodeRegistry registry, string advertise, string leaseFile)
    {
        Store = store;
        Registry = registry;
        Advertise = advertise;
        _leaseFile = leaseFile;
    }

    public IClusterStore Store { get; }
    public ClusterNodeRegistry Registry { get; }

    /// <summary>The advertise address as configured (docker info's ClusterAdvertise).</summary>
    public string Advertise { get; }

    /// <summary>Null without `--cluster-store`. Throws <see cref="ArgumentException"/> for a bad URL, option or
    /// advertise address (the daemon refuses to start, as dockerd does).</summary>
    public static DaemonCluster? Open(DaemonSettings settings)
    {
        if (string.IsNullOrEmpty(settings.ClusterStore)) return null;
        ClusterStoreAddress address;
        ClusterStoreOptions options;
        try
        {
            address = ClusterStoreAddress.Parse(settings.ClusterStore);
            options = ClusterStoreOptions.Parse(settings.ClusterStoreOpts);
        }
        catch (EngineException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        if (string.IsNullOrEmpty(settings.ClusterAdvertise))
            throw new ArgumentException("invalid cluster configuration: --cluster-store needs --cluster-advertise (the address other hosts reach this one on)");
        var ip = AdvertiseAddress.Resolve(settings.ClusterAdvertise);
        var store = new EtcdClusterStore(address, options);
        // The advertise address names the node: it is unique on the underlay, where host names need not be.
        var registry = new ClusterNodeRegistry(store, ip.ToString(), ip.ToString(), options.NodeTtl, options.Heartbeat);
        return new DaemonCluster(store, registry, settings.ClusterAdvertise, Path.Combine(settings.DataRoot, "cluster", "lease"));
    }

    /// <summary>Starts registering in the background, and following the store's global networks into
    /// <paramref name="networks"/> (networks other hosts create show up here).</summary>
    public void Start(ILogger logger, Wharf.Engine.Networks.NetworkService networks)
    {
        _catalog = new GlobalNetworkCatalog(Store, networks, Registry.Name, logger);
        _catalog.Start();
        Registry.LeaseReplaced += lease =>
        {
            SaveLease(lease);
            ClusterLog.LeaseReplaced(logger, Store.Address, lease);
            return Task.CompletedTask;
        };
        _registering = Task.Run(() => RegisterAsync(logger, _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_catalog is not null) await _catalog.DisposeAsync();
        if (_registering is not null)
        {
            try
            {
                await _registering;
            }
            catch (OperationCanceledException)
            {
            }
        }

        // No revoke: a restart resumes the lease; a daemon that stays down leaves the cluster when it runs out.
        await Registry.DisposeAsync();
        await Store.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RegisterAsync(ILogger logger, CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                await Registry.StartAsync(LoadLease(), stop);
                SaveLease(Registry.Lease);
                ClusterLog.Registered(logger, Store.Address, Registry.Name, Advertise, Registry.Lease);
                return;
            }
            catch (Exception e) when (e is ClusterStoreException or EngineException && !stop.IsCancellationRequested)
            {
                ClusterLog.RegisterRetry(logger, Store.Address, e.Message);
            }

            await Task.Delay(delay, stop);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private long LoadLease()
    {
        try
        {
            return long.TryParse(File.ReadAllText(_leaseFile).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var lease) ? lease : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private void SaveLease(long lease)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_leaseFile)!);
        var temp = _leaseFile + ".tmp";
        File.WriteAllText(temp, lease.ToString("x", CultureInfo.InvariantCulture));
        File.Move(temp, _leaseFile, overwrite: true);
    }
}
