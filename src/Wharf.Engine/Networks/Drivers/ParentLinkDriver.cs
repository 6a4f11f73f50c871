using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>What macvlan and ipvlan share: endpoints are sub-interfaces of a host interface (-o parent=), created
/// straight into the container's namespace. A parent "name.N" that does not exist is a VLAN sub-interface created on
/// demand, remembered on the record (<see cref="NetworkRecord.CreatedParent"/>) and deleted with the last network on
/// it. The gateway, when there is one, is a router on the parent's network, not the host.</summary>
public abstract class ParentLinkDriver : INetworkDriver
{
    private readonly NetworkDriverContext _context;

    protected ParentLinkDriver(NetworkDriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
    }

    public abstract string Name { get; }

    public NetworkScope Scope => NetworkScope.Local;

    public NetworkDriverCapabilities Capabilities { get; } = new() { AcceptsEndpoints = true, UsesIpam = true };

    public void ValidateOptions(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options)
        {
            DriverOptionRules.CheckCommon(key, value);
            CheckOption(key, value);
        }
    }

    /// <summary>A driver-specific option (its mode).</summary>
    protected abstract void CheckOption(string key, string value);

    /// <summary>The link mode for <see cref="LinkRequest.Mode"/>.</summary>
    protected abstract string ModeOf(NetworkRecord network);

    /// <summary>False when the endpoint's default route goes through the device itself (ipvlan l3), not a gateway.</summary>
    protected virtual bool RoutesViaGateway(NetworkRecord network) => true;

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Interface = network.Options.TryGetValue("parent", out var parent) ? parent : "";
        if (network.Interface.Length == 0) throw EngineException.Invalid($"{Name} networks need a parent interface: -o parent=<interface>");
        network.CreatedParent = EnsureParent(network.Interface);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes a VLAN parent this driver created once no other network uses it.</summary>
    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.CreatedParent && !_context.Networks().Any(n => n.Id != network.Id && n.Interface == network.Interface))
            _context.TryDeleteLink(network.Interface);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(join);
        _context.Netlink.CreateLink(new LinkRequest(Name, endpoint.InterfaceName, endpoint.InterfaceName, join.NamespacePath, Parent: network.Interface, Mode: ModeOf(network), Mtu: join.Mtu, PeerMac: endpoint.MacAddress));
        var routed = RoutesViaGateway(network);
        return ValueTask.FromResult<IReadOnlyList<NamespaceInterface>>(
            [new NamespaceInterface(endpoint.InterfaceName, join.Addresses, routed ? join.Gateway : null, routed ? join.Gateway6 : null)]);
    }

    /// <summary>The link lives only in the container's namespace: deleted there while it exists, gone with it after.</summary>
    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (namespacePath is not null && File.Exists(namespacePath)) _context.TryDeleteLink(endpoint.InterfaceName, namespacePath);
        return ValueTask.CompletedTask;
    }

    /// <summary>A VLAN parent this driver created is gone after a reboot: created again (the call keeps an existing one).</summary>
    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var network in networks.Where(n => n.CreatedParent && !_context.Netlink.LinkExists(n.Interface)))
        {
            try { EnsureParent(network.Interface); }
            catch (EngineException e) { NetworkLog.ParentNotRestored(_context.Logger, network.Name, network.Interface, e.Message); }
        }
        return ValueTask.FromResult<IReadOnlyList<NetworkRecord>>([]);
    }

    /// <summary>The firewall is the parent network's business: no rules.</summary>
    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) => [];

    /// <summary>The parent must exist, except "name.N", a VLAN sub-interface created on demand (true).</summary>
    private bool EnsureParent(string parent)
    {
        if (_context.Netlink.LinkExists(parent)) return false;
        var dot = parent.LastIndexOf('.');
        if (dot > 0 && int.TryParse(parent[(dot + 1)..], CultureInfo.InvariantCulture, out var vlan) && vlan is > 0 and < 4095 && _context.Netlink.LinkExists(parent[..dot]))
        {
            _context.Netlink.EnsureVlan(parent, parent[..dot], vlan);
            return true;
        }
        throw EngineException.Invalid($"-o parent interface was not found on the host: {parent}");
    }
}
