using Wharf.Core.Errors;
using Wharf.Core.Host;

namespace Wharf.Engine.Networks.Drivers;

/// <summary>Linux bridges: one per network (the default <c>bridge</c> network on the daemon's bridge, user-defined
/// ones on br-&lt;id&gt; or -o com.docker.network.bridge.name), the gateway address on the bridge, a veth pair per
/// endpoint, Docker's forwarding/ICC/isolation/masquerade rules. Every bridge it creates is entered in the
/// <see cref="BridgeLedger"/> first, so a crash leftover is found and deleted at the next start.</summary>
public sealed class BridgeDriver : INetworkDriver
{
    public const string DriverName = "bridge";
    public const string NameOption = "com.docker.network.bridge.name";
    public const string IccOption = "com.docker.network.bridge.enable_icc";
    public const string MasqueradeOption = "com.docker.network.bridge.enable_ip_masquerade";
    public const string HostBindingOption = "com.docker.network.bridge.host_binding_ipv4";

    private static readonly string[] Booleans =
    [
        IccOption, MasqueradeOption, "com.docker.network.enable_ipv6", "com.docker.network.bridge.inhibit_ipv4",
        "com.docker.network.bridge.default_bridge",
    ];

    private readonly NetworkDriverContext _context;
    private readonly BridgeLedger _ledger;

    public BridgeDriver(NetworkDriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _ledger = new BridgeLedger(context.StoreDir, context.Logger);
    }

    public string Name => DriverName;

    public NetworkScope Scope => NetworkScope.Local;

    public NetworkDriverCapabilities Capabilities { get; } = new()
    {
        AcceptsEndpoints = true, HasGateway = true, ProvidesDns = true, SupportsPorts = true, UsesIpam = true,
    };

    public void ValidateOptions(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options)
        {
            DriverOptionRules.CheckCommon(key, value);
            if (Booleans.Contains(key)) DriverOptionRules.CheckBool(key, value);
            else if (key == HostBindingOption) DriverOptionRules.CheckIp(key, value);
        }
    }

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Interface = network.Options.TryGetValue(NameOption, out var bridgeName) && bridgeName.Length > 0 ? bridgeName : "br-" + network.Id[..12];
        if (network.Interface.Length > 15) throw EngineException.Invalid($"bridge name {network.Interface} is longer than 15 characters");
        // The kernel's rules for interface names (dev_valid_name); "../../x" would also walk /sys/class/net.
        if (network.Interface is "." or ".." || network.Interface.Any(c => c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
            throw EngineException.Invalid($"invalid bridge name \"{network.Interface}\": no '/', ':', whitespace or control characters, and not \".\" or \"..\"");
        if (_context.Networks().Any(n => n.Driver == Name && n.Interface == network.Interface))
            throw new EngineException(ErrorKind.Forbidden, $"bridge name {network.Interface} is already in use by another network");
        // In the ledger before the link exists: a crash from here on leaves nothing a restart would not find.
        _ledger.Add(network);
        try
        {
            Realize(network);
        }
        catch (IOException)
        {
            if (_context.TryDeleteLink(network.Interface)) _ledger.Remove(network.Interface);
            throw;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        // Out of the ledger only once the link is gone: otherwise the next start tries again.
        if (_context.TryDeleteLink(network.Interface)) _ledger.Remove(network.Interface);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(join);
        endpoint.HostInterface = "veth" + endpoint.EndpointId[..7];
        _context.Netlink.CreateLink(new LinkRequest("veth", endpoint.HostInterface, endpoint.InterfaceName, join.NamespacePath, Master: network.Interface, Mtu: join.Mtu, PeerMac: endpoint.MacAddress));
        return ValueTask.FromResult<IReadOnlyList<NamespaceInterface>>([new NamespaceInterface(endpoint.InterfaceName, join.Addresses, join.Gateway, join.Gateway6)]);
    }

    /// <summary>Deletes the host end of the veth pair (the kernel deletes both ends; after the namespace went, the
    /// host end is only left when something else still holds the namespace, a container:&lt;id&gt; peer).</summary>
    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.HostInterface.Length > 0) _context.TryDeleteLink(endpoint.HostInterface);
        return ValueTask.CompletedTask;
    }

    /// <summary>Bridges of records the ledger does not know yet (written by an older daemon) are entered; ledger
    /// entries no record owns are the stale ones. Every owned bridge is then (re-)created.</summary>
    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(networks);
        foreach (var network in networks.Where(n => !_ledger.Contains(n.Interface))) _ledger.Add(network);
        var names = networks.Select(n => n.Interface).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<NetworkRecord> stale = [.. _ledger.Entries.Where(e => !names.Contains(e.Interface))];
        foreach (var network in networks) Realize(network);
        return ValueTask.FromResult(stale);
    }

    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(rules);
        var result = new List<FirewallRule>();
        var icc = DriverOptionRules.Flag(network, IccOption, fallback: true);
        var masquerade = DriverOptionRules.Flag(network, MasqueradeOption, fallback: true);
        foreach (var pool in network.Ipam.Where(p => Subnet.TryParse(p.Subnet, out var s) && s.IsV6 == ipv6))
            result.AddRange(rules.ForBridge(network.Interface, pool.Subnet, network.Internal, icc, masquerade));
        if (!ipv6) result.Add(rules.BridgeReturn(network.Interface));
        return result;
    }

    /// <summary>Creates (or re-creates after a crash or reboot) the bridge with its gateway addresses.</summary>
    private void Realize(NetworkRecord network) => _context.Netlink.EnsureBridge(network.Interface, _context.MtuOf(network), GatewayAddresses(network));

    /// <summary>The gateway addresses with prefix (what the bridge itself carries).</summary>
    private static List<NetAddress> GatewayAddresses(NetworkRecord network)
    {
        var list = new List<NetAddress>();
        foreach (var pool in network.Ipam)
        {
            if (!Subnet.TryParse(pool.Subnet, out var subnet) || !System.Net.IPAddress.TryParse(pool.Gateway, out var gw)) continue;
            list.Add(new NetAddress(gw, subnet.PrefixLength));
        }
        return list;
    }
}
