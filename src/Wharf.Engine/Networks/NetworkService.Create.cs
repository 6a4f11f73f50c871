using System.Net;
using Wharf.Core.Errors;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>docker network create. Validates everything first, then creates the kernel side, then persists: a
    /// refused request leaves nothing behind.</summary>
    public NetworkRecord Create(NetworkCreateParams request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Docker's default driver.
        var driverName = string.IsNullOrEmpty(request.Driver) ? BridgeDriver.DriverName : request.Driver;
        if (string.IsNullOrWhiteSpace(request.Name)) throw EngineException.Invalid("network name cannot be empty");
        var driver = Drivers.Get(driverName);
        if (driver.Capabilities.Singleton)
            throw new EngineException(ErrorKind.Forbidden, $"only one instance of \"{driverName}\" network is allowed");
        driver.ValidateOptions(request.Options);
        CheckScope(request, driver);
        IpamConfigRules.Validate(request.Ipam);
        if (request.IpamDriver is not ("" or "default")) throw EngineException.NotFound($"plugin \"{request.IpamDriver}\" not found");
        if (TryGet(request.Name, out var existing) && existing.Name == request.Name)
            throw EngineException.Conflict($"network with name {request.Name} already exists");

        var network = NewRecord(request.Name, driverName);
        network.Internal = request.Internal;
        network.Attachable = request.Attachable;
        network.Ingress = request.Ingress;
        network.EnableIPv6 = request.EnableIPv6;
        foreach (var (k, v) in request.Options) network.Options[k] = v;
        foreach (var (k, v) in request.Labels) network.Labels[k] = v;

        if (driver.Capabilities.UsesIpam) ChoosePools(network, request, driver.Capabilities);
        CallDriver(driver.CreateAsync(network, CancellationToken.None));
        try
        {
            Save(network);
            ApplyFirewall();
        }
        catch
        {
            lock (_gate) _byId.Remove(network.Id);
            File.Delete(Path.Combine(StoreDir, network.Id + ".json"));
            CallDriver(driver.DeleteAsync(network, CancellationToken.None));
            throw;
        }
        Dns.Refresh();
        Publish("create", network);
        return network;
    }

    /// <summary>A requested scope must be the driver's (Docker keeps a network in its driver's scope), and only a
    /// swarm network can be the one ingress network.</summary>
    private void CheckScope(NetworkCreateParams request, INetworkDriver driver)
    {
        var scope = ScopeName(driver.Scope);
        if (request.Scope is { Length: > 0 } wanted && wanted != scope)
        {
            if (wanted is not ("local" or "global" or "swarm")) throw EngineException.Invalid($"invalid scope \"{wanted}\": must be local, global or swarm");
            throw EngineException.Invalid($"the {driver.Name} driver makes {scope}-scoped networks, not {wanted}-scoped ones");
        }
        if (!request.Ingress) return;
        if (driver.Scope != NetworkScope.Swarm) throw new EngineException(ErrorKind.Forbidden, "only a swarm-scoped (overlay) network can be an ingress network");
        if (All().FirstOrDefault(n => n.Ingress) is { } ingress)
            throw new EngineException(ErrorKind.Forbidden, $"ingress network cannot be created because ingress network {ingress.Name} ({ingress.Id[..12]}) already exists");
    }

    /// <summary>The network's IPAM pools: the requested ones checked, a default IPv4 subnet when none was asked
    /// for, a ULA subnet when IPv6 is enabled without one.</summary>
    private void ChoosePools(NetworkRecord network, NetworkCreateParams request, NetworkDriverCapabilities capabilities)
    {
        var sameRequest = new List<Subnet>();
        var hasV4 = false;
        var hasV6 = false;
        foreach (var pool in request.Ipam)
        {
            var validated = ValidatePool(pool, capabilities.HasGateway, sameRequest);
            hasV4 |= !Subnet.Parse(validated.Subnet).IsV6;
            hasV6 |= Subnet.Parse(validated.Subnet).IsV6;
            sameRequest.Add(Subnet.Parse(validated.Subnet));
            network.Ipam.Add(validated);
        }
        if (hasV6 && !request.EnableIPv6) network.EnableIPv6 = true;
        if (!hasV4)
        {
            var subnet = Ipam.PickDefaultPool(TakenSubnets().Concat(sameRequest), _options.DefaultPoolStart);
            network.Ipam.Insert(0, new IpamPool { Subnet = subnet.ToString(), Gateway = subnet.At(1).ToString(), AutoAllocated = true });
        }
        if (network.EnableIPv6 && !hasV6)
        {
            var ula = Ipam.RandomUlaSubnet();
            network.Ipam.Add(new IpamPool { Subnet = ula.ToString(), Gateway = ula.At(1).ToString(), AutoAllocated = true });
        }
    }

    /// <param name="hasGateway">The host owns the gateway (<see cref="NetworkDriverCapabilities.HasGateway"/>): a
    /// subnet without one gets its first address.</param>
    private IpamPool ValidatePool(IpamPool pool, bool hasGateway, IReadOnlyList<Subnet> taken)
    {
        // IpamConfigRules has checked the shape of every pool; what is left is how they fit with the others.
        var subnet = Subnet.Parse(pool.Subnet);
        if (!subnet.IsV6 && subnet.PrefixLength > 30) throw EngineException.Invalid($"invalid pool request: subnet {pool.Subnet} is too small");
        // Overlap with another network (or another pool of this request) is refused; host routes only steer the
        // automatic choice, as in Docker.
        if (taken.Any(t => t.Overlaps(subnet)) || All().Any(n => n.Ipam.Any(p => Subnet.TryParse(p.Subnet, out var s) && s.Overlaps(subnet))))
            throw new EngineException(ErrorKind.Forbidden, "invalid pool request: Pool overlaps with other one on this address space");
        var result = new IpamPool { Subnet = subnet.ToString() };
        if (!string.IsNullOrEmpty(pool.IPRange)) result.IPRange = Subnet.Parse(pool.IPRange).ToString();
        if (!string.IsNullOrEmpty(pool.Gateway)) result.Gateway = IPAddress.Parse(pool.Gateway).ToString();
        else if (hasGateway) result.Gateway = subnet.At(1).ToString();
        foreach (var (name, address) in pool.AuxiliaryAddresses) result.AuxiliaryAddresses[name] = IPAddress.Parse(address).ToString();
        return result;
    }

    /// <summary>docker network rm: refuses predefined networks and networks with endpoints (Docker's 403s).</summary>
    public void Remove(string nameOrId)
    {
        var network = Get(nameOrId);
        if (network.IsPredefined)
            throw new EngineException(ErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
        if (Drivers.TryGet(network.Driver, out var owner) && owner is IGlobalNetworkDriver global)
        {
            RemoveGlobal(network, global);
            return;
        }
        lock (_gate)
        {
            if (network.Endpoints.Count > 0)
                throw new EngineException(ErrorKind.Forbidden, $"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            _byId.Remove(network.Id);
        }
        DeleteRecordFile(network);
        // Best effort from here: the record is gone, so every step runs; what fails is logged (and a restart
        // reconciles the rules and, through the bridge ledger, the link).
        try { ApplyFirewall(removed: network); }
        catch (EngineException e) when (e.InnerException is IOException) { NetworkLog.NetworkRulesNotRemoved(_logger, network.Name, e.Message); }
        if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.DeleteAsync(network, CancellationToken.None));
        Dns.Refresh();
        Publish("destroy", network);
    }

    /// <summary>docker network prune: every user-defined network without endpoints that matches.</summary>
    public IReadOnlyList<string> Prune(Func<NetworkRecord, bool> matches)
    {
        var removed = new List<string>();
        foreach (var network in All().Where(n => !n.IsPredefined && n.Endpoints.Count == 0 && matches(n)))
        {
            try
            {
                Remove(network.Id);
                removed.Add(network.Name);
            }
            catch (EngineException)
            {
                // Gained an endpoint meanwhile: not unused any more.
            }
            catch (Wharf.Core.Cluster.ClusterStoreException)
            {
                // A global network whose cluster store cannot say whether other hosts use it: kept.
            }
        }
        return removed;
    }
}
