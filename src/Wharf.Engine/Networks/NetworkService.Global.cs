using Wharf.Core.Errors;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Networks;

/// <summary>Global networks (issue 18): a network of a global driver lives in the cluster store; every daemon keeps a
/// local record of it, so `network ls`, `inspect` and `run --network` work the same on every host. The record of a
/// network another host created is adopted here (and forgotten when it leaves the store) by the cluster's network
/// catalog; its kernel side is the driver's to create when the first endpoint joins on this host.</summary>
public sealed partial class NetworkService
{
    /// <summary>Docker's Scope field: "global" for a network of a global driver (cluster-store overlay), "swarm" for a
    /// network of the swarm this node manages, else "local".</summary>
    public string ScopeOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Drivers.TryGet(network.Driver, out var driver) ? ScopeName(driver.Scope) : ScopeName(NetworkScope.Local);
    }

    public static string ScopeName(NetworkScope scope) => scope switch
    {
        NetworkScope.Global => "global",
        NetworkScope.Swarm => "swarm",
        _ => "local",
    };

    /// <summary>The networks of global drivers this daemon has a record of.</summary>
    public IReadOnlyList<NetworkRecord> GlobalNetworks() => [.. All().Where(n => ScopeOf(n) == "global")];

    /// <summary>Takes in a global network another host created. False when this daemon already knows it, or when a
    /// network of this host already has its name (logged; the local one keeps the name here).</summary>
    public bool AdoptGlobal(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        lock (_gate)
        {
            if (_byId.ContainsKey(network.Id)) return false;
            if (_byId.Values.FirstOrDefault(n => n.Name == network.Name) is { } clash)
            {
                NetworkLog.GlobalNetworkNameTaken(_logger, network.Name, network.Id, clash.Id);
                return false;
            }
            _byId[network.Id] = network;
        }
        Persist(network, durable: true);
        try { ApplyFirewall(); }
        catch (EngineException e) when (e.InnerException is IOException) { NetworkLog.NetworkRulesNotRemoved(_logger, network.Name, e.Message); }
        Dns.Refresh();
        Publish("create", network);
        return true;
    }

    /// <summary>Drops the record of a global network that left the cluster store (removed on another host). Kept
    /// while containers of this host are on it (the store said otherwise only through a fault; they keep working).</summary>
    public bool ForgetGlobal(string networkId)
    {
        NetworkRecord? network;
        lock (_gate)
        {
            if (!_byId.TryGetValue(networkId, out network) || network.Endpoints.Count > 0) return false;
            _byId.Remove(networkId);
        }
        DropLocally(network);
        return true;
    }

    /// <summary>`network rm` of a global network: decided in the cluster store for every host at once. Refused (403,
    /// Docker's words) while this host or any other has endpoints on it; a join racing the removal on any host either
    /// makes it refuse or is refused itself; the store loses every key of the network in one step or none (a store
    /// that cannot be reached is a 503 and changes nothing). A network the store no longer has (removed from another
    /// host meanwhile) is only forgotten here.</summary>
    private void RemoveGlobal(NetworkRecord network, IGlobalNetworkDriver driver)
    {
        lock (_gate)
        {
            if (network.Endpoints.Count > 0) throw ActiveEndpoints(network);
        }
        var removal = CallDriver(driver.BeginRemovalAsync(network, CancellationToken.None));
        try
        {
            lock (_gate)
            {
                // A local join that got its endpoint in before the removal's mark: refuse (the join itself goes on).
                if (network.Endpoints.Count > 0) throw ActiveEndpoints(network);
                // Out of this host's view while the store decides, so no local join starts on it meanwhile.
                _byId.Remove(network.Id);
            }
            try
            {
                if (removal is not null) CallDriver(removal.CommitAsync(CancellationToken.None));
            }
            catch
            {
                lock (_gate) _byId.TryAdd(network.Id, network);
                throw;
            }
        }
        finally
        {
            if (removal is not null) CallDriver(removal.DisposeAsync());
        }
        DropLocally(network);
    }

    /// <summary>At container create: a global network must be joinable in the cluster store now (see
    /// <see cref="IGlobalNetworkDriver.CheckJoinableAsync"/>); local networks have nothing to ask.</summary>
    public void CheckGlobalJoinable(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Drivers.TryGet(network.Driver, out var driver) && driver is IGlobalNetworkDriver global)
            CallDriver(global.CheckJoinableAsync(network, CancellationToken.None));
    }

    private static EngineException ActiveEndpoints(NetworkRecord network) =>
        new(ErrorKind.Forbidden, $"error while removing network: network {network.Name} id {network.Id} has active endpoints");

    /// <summary>Everything of a global network on this host once its record is out of the service: the record file,
    /// its firewall rules, its data plane (the driver's), its DNS names; then the destroy event.</summary>
    private void DropLocally(NetworkRecord network)
    {
        DeleteRecordFile(network);
        try { ApplyFirewall(removed: network); }
        catch (EngineException e) when (e.InnerException is IOException) { NetworkLog.NetworkRulesNotRemoved(_logger, network.Name, e.Message); }
        if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.DeleteAsync(network, CancellationToken.None));
        Dns.Refresh();
        Publish("destroy", network);
    }

    /// <summary>What the network's driver knows of its endpoints on other hosts (for the embedded DNS).</summary>
    public IReadOnlyList<RemoteEndpoint> RemoteEndpointsOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Drivers.TryGet(network.Driver, out var driver) ? driver.RemoteEndpointsOf(network) : [];
    }
}
