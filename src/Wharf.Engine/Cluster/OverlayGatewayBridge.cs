using System.Net;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Cluster;

/// <summary>Outbound access for overlay containers, as Docker's docker_gwbridge: one local bridge per host
/// (<see cref="Name"/>, a /16 of the default pools chosen once and kept in data-root/network/overlay-gwbridge) and,
/// for a container whose default route comes from a non-internal overlay network, a second interface on it
/// (<see cref="InterfaceName"/>) carrying that default route; the host masquerades what leaves through it. The bridge
/// has icc off (containers of different overlay networks do not meet there) and is kept when empty, as Docker's is.</summary>
public sealed class OverlayGatewayBridge
{
    public const string Name = "wharf_gwbridge";
    public const string InterfaceName = "gwbridge0";
    public const string HostInterfaceKey = "gwbridge.host";
    public const string AddressKey = "gwbridge.address";

    private readonly NetworkDriverContext _context;
    private readonly string _subnetFile;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IPAddress> _addresses = new(StringComparer.Ordinal);
    private Subnet? _subnet;

    public OverlayGatewayBridge(NetworkDriverContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _subnetFile = Path.Combine(context.StoreDir, "overlay-gwbridge");
    }

    /// <summary>The bridge's subnet: the one kept from before, else the first default pool no network or host route
    /// overlaps (chosen once, so rules and addresses stay valid across restarts).</summary>
    public Subnet Subnet
    {
        get
        {
            lock (_gate)
            {
                if (_subnet is { } known) return known;
                if (File.Exists(_subnetFile) && Subnet.TryParse(File.ReadAllText(_subnetFile).Trim(), out var kept))
                {
                    _subnet = kept;
                    return kept;
                }
                var taken = new List<Subnet>();
                foreach (var network in _context.Networks())
                    foreach (var pool in network.Ipam)
                        if (Subnet.TryParse(pool.Subnet, out var s)) taken.Add(s);
                try
                {
                    taken.AddRange(_context.Netlink.HostRoutes().Select(r => new Subnet(r.Address, r.PrefixLength)));
                }
                catch (IOException)
                {
                    // Without the routes the pools of networks still steer the choice.
                }

                var chosen = Ipam.PickDefaultPool(taken, 14);
                Directory.CreateDirectory(Path.GetDirectoryName(_subnetFile)!);
                File.WriteAllText(_subnetFile, chosen.ToString());
                _subnet = chosen;
                return chosen;
            }
        }
    }

    private IPAddress Gateway => Subnet.At(1);

    /// <summary>The iptables rules of the bridge: forwarding out, masquerade, no traffic between its ports.</summary>
    public IReadOnlyList<FirewallRule> FirewallRules(FirewallRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return [.. rules.ForBridge(Name, Subnet.ToString(), isInternal: false, icc: false, masquerade: true), rules.BridgeReturn(Name)];
    }

    /// <summary>At start: the addresses live endpoints hold, and the bridge back if any does.</summary>
    public void Restore(IEnumerable<EndpointRecord> endpoints)
    {
        var any = false;
        lock (_gate)
        {
            foreach (var endpoint in endpoints)
                if (endpoint.DriverState.TryGetValue(AddressKey, out var text) && IPAddress.TryParse(text, out var address))
                {
                    _addresses[endpoint.EndpointId] = address;
                    any = true;
                }
        }

        if (any) EnsureBridge();
    }

    /// <summary>Creates the endpoint's second interface; its host end and address go into the endpoint's driver state.</summary>
    public NamespaceInterface Join(EndpointRecord endpoint, string namespacePath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        EnsureBridge();
        IPAddress address;
        lock (_gate)
        {
            var taken = new HashSet<IPAddress>(_addresses.Values) { Gateway };
            address = Ipam.Allocate(Subnet, null, taken, "docker_gwbridge");
            _addresses[endpoint.EndpointId] = address;
        }

        var host = "vgw" + endpoint.EndpointId[..7];
        try
        {
            _context.Netlink.CreateLink(new LinkRequest("veth", host, InterfaceName, namespacePath, Master: Name));
        }
        catch (IOException)
        {
            lock (_gate) _addresses.Remove(endpoint.EndpointId);
            throw;
        }

        endpoint.DriverState[HostInterfaceKey] = host;
        endpoint.DriverState[AddressKey] = address.ToString();
        return new NamespaceInterface(InterfaceName, [new NetAddress(address, Subnet.PrefixLength)], Gateway);
    }

    /// <summary>Undoes <see cref="Join"/> (nothing when the endpoint has no second interface).</summary>
    public void Leave(EndpointRecord endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate) _addresses.Remove(endpoint.EndpointId);
        if (endpoint.DriverState.TryGetValue(HostInterfaceKey, out var host) && _context.Netlink.LinkExists(host)) _context.TryDeleteLink(host);
    }

    private void EnsureBridge() => _context.Netlink.EnsureBridge(Name, 0, [new NetAddress(Gateway, Subnet.PrefixLength)]);
}
