using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks.Drivers;
using Wharf.Engine.Storage;

namespace Wharf.Engine.Networks;

/// <summary>Owns every network: records (persisted with their endpoints, i.e. the address allocations), IPAM, the
/// firewall batch (through <see cref="IFirewall"/>), the embedded DNS and published ports. What differs between
/// drivers (the kernel side of a network and of an endpoint) is asked of the network's <see cref="INetworkDriver"/>,
/// found by name in <see cref="Drivers"/>. Engine code decides; the host interfaces only carry it out.</summary>
public sealed partial class NetworkService : IDisposable
{
    private readonly NetworkOptions _options;
    private readonly INetlink _netlink;
    private readonly INamespaceOps _namespaces;
    private readonly IFirewall? _firewall;
    private readonly Action<string, string, IReadOnlyDictionary<string, string>>? _publish;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, NetworkRecord> _byId = new(StringComparer.Ordinal);
    private readonly FirewallRules _rules;
    private readonly ILogger _logger;
    private readonly NetworkDriverContext _driverContext;

    /// <param name="drivers">The network drivers (null: the built-in ones), made with the context the service lends
    /// them.</param>
    public NetworkService(NetworkOptions options, INetlink netlink, INamespaceOps namespaces, IFirewall? firewall,
        Action<string, string, IReadOnlyDictionary<string, string>>? publish, TimeProvider time, ILogger? logger = null,
        Func<NetworkDriverContext, IEnumerable<INetworkDriver>>? drivers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _netlink = netlink;
        _namespaces = namespaces;
        _firewall = options.Iptables ? firewall : null;
        _publish = publish;
        _time = time;
        _rules = new FirewallRules(options.ChainPrefix);
        _logger = logger ?? NullLogger.Instance;
        Dns = new DnsServer(this, options.HostResolvConf, _logger);
        Ports = new PortPublisher(time, _logger);
        Directory.CreateDirectory(StoreDir);
        _driverContext = new NetworkDriverContext(netlink, StoreDir, options.Mtu, All, _logger);
        _driverContext.RemoteEndpointsChanged = Dns.Refresh;
        Drivers = new NetworkDriverRegistry(drivers?.Invoke(_driverContext) ?? NetworkDriverRegistry.BuiltIn(_driverContext));
    }

    /// <summary>The network drivers by name.</summary>
    public NetworkDriverRegistry Drivers { get; }

    /// <summary>The embedded DNS server (one listener per user-defined bridge network's gateway).</summary>
    public DnsServer Dns { get; }

    /// <summary>The in-daemon port proxies of published ports.</summary>
    public PortPublisher Ports { get; }

    private string StoreDir => Path.Combine(_options.DataRoot, "network");

    /// <summary>Path of a container's pinned network namespace.</summary>
    public string NamespacePath(string containerId) => Path.Combine(_options.ExecRoot, "netns", containerId);

    /// <summary>At daemon start: loads the records, creates the predefined networks on first run and reconciles the
    /// kernel with the records (bridges, addresses, rules, DNS listeners, port proxies of live endpoints).</summary>
    public void Initialize()
    {
        foreach (var file in Directory.EnumerateFiles(StoreDir, "*.json"))
        {
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(file), NetworkJsonContext.Default.NetworkRecord);
                if (record is not null) _byId[record.Id] = record;
            }
            catch (JsonException e)
            {
                // An unreadable record must not stop the daemon; it stays on disk for inspection.
                NetworkLog.RecordUnreadable(_logger, file, e.Message);
            }
        }
        CreatePredefinedNetworks();
        if (_firewall is not null) _firewall.EnableForwarding();
        var stale = RestoreDrivers();
        ApplyFirewall(reconcilePorts: true, stale: stale);
        foreach (var network in stale) CallDriver(Drivers.Get(network.Driver).DeleteAsync(network, CancellationToken.None));
        foreach (var network in All())
            foreach (var endpoint in network.Endpoints.Values.Where(e => e.Ports.Count > 0))
                Ports.TryRestore(endpoint);
        Dns.Refresh();
    }

    public IReadOnlyList<NetworkRecord> All()
    {
        lock (_gate) return _byId.Values.OrderBy(n => n.Created).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>By full id, exact name, then unique id prefix, as Docker resolves networks.</summary>
    public NetworkRecord Get(string nameOrId) =>
        TryGet(nameOrId, out var network) ? network : throw EngineException.NotFound($"network {nameOrId} not found");

    public bool TryGet(string nameOrId, out NetworkRecord network)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(nameOrId, out network!)) return true;
            network = _byId.Values.FirstOrDefault(n => n.Name == nameOrId)!;
            if (network is not null) return true;
            var matches = _byId.Values.Where(n => nameOrId.Length > 0 && n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 1) { network = matches[0]; return true; }
            network = null!;
            return false;
        }
    }

    /// <summary>The gateway of the default bridge, which "host-gateway" in --add-host stands for.</summary>
    public string? DefaultGateway => All().FirstOrDefault(n => n.Name == "bridge")?.Ipam.FirstOrDefault()?.Gateway;

    /// <summary>Docker's three predefined networks, on first start: none (null), host (host) and the default bridge.</summary>
    private void CreatePredefinedNetworks()
    {
        if (!All().Any(n => n.Name == "none")) Save(NewRecord("none", NullDriver.DriverName));
        if (!All().Any(n => n.Name == "host")) Save(NewRecord("host", HostDriver.DriverName));
        if (All().Any(n => n.Name == "bridge")) return;
        var bridge = NewRecord("bridge", BridgeDriver.DriverName);
        bridge.Interface = _options.DefaultBridge;
        bridge.Options["com.docker.network.bridge.default_bridge"] = "true";
        bridge.Options[BridgeDriver.IccOption] = "true";
        bridge.Options[BridgeDriver.MasqueradeOption] = "true";
        bridge.Options[BridgeDriver.HostBindingOption] = "0.0.0.0";
        bridge.Options[BridgeDriver.NameOption] = _options.DefaultBridge;
        bridge.Options[DriverOptionRules.Mtu] = "1500";
        var subnet = Ipam.PickDefaultPool(TakenSubnets(), _options.DefaultPoolStart);
        bridge.Ipam.Add(new IpamPool { Subnet = subnet.ToString(), Gateway = subnet.At(1).ToString(), AutoAllocated = true });
        Save(bridge);
    }

    private IEnumerable<Subnet> TakenSubnets()
    {
        foreach (var network in All())
            foreach (var pool in network.Ipam)
                if (Subnet.TryParse(pool.Subnet, out var s)) yield return s;
        IReadOnlyList<NetAddress> routes;
        try { routes = _netlink.HostRoutes(); }
        catch (IOException e)
        {
            NetworkLog.HostRoutesUnreadable(_logger, e.Message);
            routes = [];
        }
        foreach (var route in routes) yield return new Subnet(route.Address, route.PrefixLength);
    }

    private NetworkRecord NewRecord(string name, string driver) => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        Name = name,
        Driver = driver,
        Created = _time.GetUtcNow(),
    };

    private void Save(NetworkRecord network)
    {
        lock (_gate) _byId[network.Id] = network;
        Persist(network, durable: true);
    }

    /// <param name="durable">fsync before the rename: for the network's own definition. Endpoint changes (on every
    /// container start and stop) skip it: a killed daemon loses nothing the page cache holds, and after a power
    /// loss every container is dead anyway, so the restart releases their endpoints whatever the file says.</param>
    private void Persist(NetworkRecord network, bool durable = false)
    {
        // One writer at a time: two writes racing could otherwise rename an older state over a newer one.
        lock (_persistGate) PersistLocked(network, durable);
    }

    private void PersistLocked(NetworkRecord network, bool durable)
    {
        byte[] bytes;
        lock (_gate) bytes = JsonSerializer.SerializeToUtf8Bytes(network, NetworkJsonContext.Default.NetworkRecord);
        var path = Path.Combine(StoreDir, network.Id + ".json");
        if (durable)
        {
            AtomicFile.Write(path, bytes);
            return;
        }
        // Still atomic (a temp file renamed over the record): a reader never sees a torn one.
        var temp = path + "." + Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private void Publish(string action, NetworkRecord network, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["name"] = network.Name, ["type"] = network.Driver };
        foreach (var (k, v) in extra) attributes[k] = v;
        _publish?.Invoke(action, network.Id, attributes);
    }

    public void Dispose()
    {
        ReleaseHeldPortRules();
        _background?.Dispose();
        Dns.Dispose();
        Ports.Dispose();
        if (!_options.CleanupOnShutdown) return;
        var networks = All();
        if (networks.Any(n => n.Endpoints.Count > 0)) return;
        foreach (var network in networks)
            if (Drivers.TryGet(network.Driver, out var driver)) CallDriver(driver.DeleteAsync(network, CancellationToken.None));
        try { RemoveAllFirewallState(); }
        catch (IOException e) { NetworkLog.FirewallCleanupFailed(_logger, e.Message); }
    }
}
