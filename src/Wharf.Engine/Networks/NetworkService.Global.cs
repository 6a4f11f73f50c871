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
        DeleteRecordFile(network);
        try { ApplyFirewall(removed: network); }
        catch (EngineException e) when (e.InnerException is IOException) { NetworkLog.NetworkRulesNotRemoved(_logger, network.Name, e.Message); }
        if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.DeleteAsync(network, CancellationToken.None));
        Dns.Refresh();
        Publish("destroy", network);
        return true;
    }

    /// <summary>What the network's driver knows of its endpoints on other hosts (for the embedded DNS).</summary>
    public IReadOnlyList<RemoteEndpoint> RemoteEndpointsOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Drivers.TryGet(network.Driver, out var driver) ? driver.RemoteEndpointsOf(network) : [];
    }
}
