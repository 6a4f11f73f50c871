using System.Net;
using System.Text;
using System.Text.Json;
using Wharf.Core.Cluster;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Cluster;

/// <summary>Overlay networks (issue 18 §3): one network on every daemon of a cluster. The cluster store holds the
/// network (its name and VNI claimed by one transaction, so two hosts creating one name at once get one network and
/// one 409; its whole definition, so other hosts adopt it — <see cref="GlobalNetworkCatalog"/>), the addresses
/// (<see cref="ClusterIpam"/>) and the endpoints (<see cref="ClusterEndpointDirectory"/>).
/// On a host the network's data plane exists only while the host has endpoints on it: the first join makes a bridge
/// ov-ID carrying the gateway address (the same on every host: the embedded DNS answers there, and it never crosses
/// the overlay — the VXLAN device answers ARP only from the entries programmed for remote endpoints and drops every
/// other ARP request) with a VXLAN device vx-ID (learning off, ARP proxy on, MTU 1450, sourcing from the advertise
/// address); the last leave removes both. While it exists, the endpoints of other hosts are programmed as FDB
/// entries (MAC → their VTEP, plus an all-zero entry per VTEP for broadcasts) and neighbour entries (IP → MAC) from a
/// watch, so nothing is learnt from the wire, and their names are handed to the embedded DNS.
/// Faults (issue 18 §5): the data plane never depends on the store being there. A peer whose endpoint went with its
/// node's lease (the node died, or is only cut from the store) leaves the DNS at once but its FDB and neighbour entries
/// stay for <c>peerRetention</c> — traffic between containers of hosts that both stay up keeps flowing through a cut
/// longer than the lease — until its host publishes it again, another endpoint takes its address or MAC, or the time
/// runs out. A host whose lease was replaced (<see cref="Republish"/>) claims its endpoints' addresses again, publishes
/// them again and lists its peers afresh; an address another host took meanwhile is a conflict it reports.</summary>
public sealed class OverlayDriver : INetworkDriver, IGlobalNetworkDriver, IAsyncDisposable
{
    public const string DriverName = "overlay";
    public const int VxlanPort = 4789;
    public const int VxlanMtu = 1450;
    public const int FirstVni = 256;
    public const int LastVni = (1 << 24) - 1;
    public const string FloodMac = "00:00:00:00:00:00";

    /// <summary>Docker's option naming an overlay network's VNI (shown by inspect, read back at join).</summary>
    public const string VniOption = "com.docker.network.driver.overlay.vxlanid_list";

    private readonly NetworkDriverContext _context;
    private readonly IClusterStore _store;
    private readonly ClusterIpam _ipam;
    private readonly ClusterEndpointDirectory _directory;
    private readonly string _node;
    private readonly IPAddress _advertise;
    private readonly Func<long> _lease;
    private readonly Dictionary<string, Follower> _followers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    // The endpoints of this host per network; the data plane exists while a network has one. Changes of the data
    // plane (first join, last leave) are serialized by _plane.
    private readonly Dictionary<string, HashSet<string>> _local = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _plane = new(1, 1);
    private readonly OverlayGatewayBridge _gateway;
    private readonly TimeSpan _peerRetention;
    // This host's endpoints as published (what goes back into the store under a new lease), by endpoint id, and those
    // whose address another endpoint holds now (not published again: two endpoints with one address on one segment).
    private readonly Dictionary<string, LocalEndpoint> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClusterAddressClaim> _conflicts = new(StringComparer.Ordinal);
    private CancellationTokenSource? _republishing;
    private Task _republish = Task.CompletedTask;

    /// <summary>How long the entries of a peer that went with its node's lease stay programmed by default.</summary>
    public static readonly TimeSpan DefaultPeerRetention = TimeSpan.FromMinutes(10);

    /// <param name="node">This daemon's node name (its endpoints are published under it; the others' are peers).</param>
    /// <param name="advertise">The underlay address VXLAN packets are sent from and peers send to (the VTEP).</param>
    /// <param name="lease">The node's current lease (address claims and endpoints live under it).</param>
    /// <param name="peerRetention">How long a peer that went with its node's lease stays programmed (default
    /// <see cref="DefaultPeerRetention"/>; zero: removed at once).</param>
    public OverlayDriver(NetworkDriverContext context, IClusterStore store, string node, IPAddress advertise, Func<long> lease, TimeSpan? peerRetention = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        _context = context;
        _store = store;
        _ipam = new ClusterIpam(store);
        _directory = new ClusterEndpointDirectory(store);
        _node = node;
        _advertise = advertise;
        _lease = lease;
        _gateway = new OverlayGatewayBridge(context);
        _peerRetention = peerRetention ?? DefaultPeerRetention;
    }

    /// <summary>The driver of a daemon registered through <paramref name="registry"/>: its node name, VTEP and lease,
    /// and every lease replacement (<see cref="ClusterNodeRegistry.LeaseReplaced"/>) republishes this host's endpoints.</summary>
    public OverlayDriver(NetworkDriverContext context, IClusterStore store, ClusterNodeRegistry registry, TimeSpan? peerRetention = null)
        : this(context, store, (registry ?? throw new ArgumentNullException(nameof(registry))).Name, IPAddress.Parse(registry.AdvertiseAddress), () => registry.Lease, peerRetention)
    {
        registry.LeaseReplaced += lease =>
        {
            Republish(lease);
            return Task.CompletedTask;
        };
    }

    /// <summary>This host's endpoints whose address another endpoint claimed while this host was away from the store
    /// (by endpoint id, with that holder). Their containers keep running with the address, but are not published:
    /// the other hosts do not reach them until they are reconnected (`docker network disconnect` and `connect`, or a
    /// restart), which gives them a fresh address.</summary>
    public IReadOnlyDictionary<string, ClusterAddressClaim> AddressConflicts
    {
        get
        {
            lock (_gate) return new Dictionary<string, ClusterAddressClaim>(_conflicts, StringComparer.Ordinal);
        }
    }

    /// <summary>After this node registered under a new <paramref name="lease"/> (its old one ran out while the store
    /// was away, so its address claims and endpoints went with it): claims every local endpoint's address again,
    /// publishes the endpoint again, then has every follower list its peers afresh. Runs in the background, retrying
    /// while the store is unreachable, until done or a newer lease replaces this one.</summary>
    public void Republish(long lease)
    {
        var next = new CancellationTokenSource();
        CancellationTokenSource? previous;
        lock (_gate)
        {
            previous = _republishing;
            _republishing = next;
            _republish = Task.Run(() => RepublishLoopAsync(lease, next.Token), CancellationToken.None);
        }

        previous?.Cancel();
    }

    public string Name => DriverName;

    public NetworkScope Scope => NetworkScope.Global;

    // The gateway address is on each host's bridge for the embedded DNS, not as a route: Docker routes overlay
    // containers to the outside through another network.
    public NetworkDriverCapabilities Capabilities { get; } = new() { AcceptsEndpoints = true, UsesIpam = true, HasGateway = true, ProvidesDns = true };

    public static string BridgeOf(NetworkRecord network) => "ov-" + network.Id[..12];

    public static string VxlanOf(NetworkRecord network) => "vx-" + network.Id[..12];

    public void ValidateOptions(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (key, value) in options) DriverOptionRules.CheckCommon(key, value);
    }

    public async ValueTask CreateAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Interface = BridgeOf(network);
        // Only the store: the bridge and VXLAN device come with the first endpoint on a host.
        await RegisterAsync(network, ct);
    }

    /// <summary>`network rm`, decided in the store for every host (<see cref="OverlayNetworkRemoval"/>): refused while
    /// another host has endpoints on the network, and no host can join it while the removal runs.</summary>
    public async ValueTask<IGlobalNetworkRemoval?> BeginRemovalAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        return await OverlayNetworkRemoval.BeginAsync(_store, network, _node, ct);
    }

    public async ValueTask CheckJoinableAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (await new ClusterNetworkGuard(_store, network.Id, network.Name).RefusalAsync(ct) is { } refusal) throw refusal;
    }

    public async ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        await _plane.WaitAsync(CancellationToken.None);
        try
        {
            lock (_gate) _local.Remove(network.Id);
            await TearDownAsync(network);
        }
        finally
        {
            _plane.Release();
        }

        await UnregisterAsync(network);
    }

    public async ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(join);
        var pool = network.Ipam.FirstOrDefault(p => Subnet.TryParse(p.Subnet, out var s) && !s.IsV6)
            ?? throw EngineException.Invalid($"overlay network {network.Name} has no IPv4 subnet");
        var subnet = Subnet.Parse(pool.Subnet);
        Subnet? range = Subnet.TryParse(pool.IPRange, out var r) ? r : null;
        var lease = _lease();
        if (lease == 0) throw new EngineException(ErrorKind.Unavailable, "this daemon is not registered in the cluster store yet; try again shortly");
        // The service chose an address from its local view; the cluster decides. An address asked for (--ip) is given
        // exactly or refused; any other comes from the cluster's serial allocation (never the local view's lowest
        // free one, which may be the address of a host that is only cut from the store and will claim it back).
        var local = join.Addresses.FirstOrDefault(a => subnet.Contains(a.Address))?.Address;
        var requested = join.StaticIPv4 ? local : null;
        var reserved = ReservedOf(pool);
        // Every claim holds on the network being in the store and not being removed: a join racing a `network rm` on
        // another host is refused here, or got in first and makes that removal refuse.
        var guard = new ClusterNetworkGuard(_store, network.Id, network.Name);
        var ip = await _ipam.AllocateAsync(network.Id, network.Name, subnet, range, requested, _node, endpoint.EndpointId, lease, ct, reserved, guard);

        try
        {
            await AddLocalAsync(network, endpoint.EndpointId, ct);
        }
        catch (Exception e) when (e is IOException or ClusterStoreException or EngineException)
        {
            await _ipam.ReleaseAsync(network.Id, ip, _node, endpoint.EndpointId, CancellationToken.None);
            throw;
        }

        var address = new NetAddress(ip, subnet.PrefixLength);
        // The service derived the MAC from its local choice; when the cluster gave another address, that MAC may be
        // another host's endpoint's (one L2 segment across hosts): derive it from the address actually held.
        if (local is not null && !ip.Equals(local) && endpoint.MacAddress == DerivedMac(local)) endpoint.MacAddress = DerivedMac(ip);
        endpoint.IPv4Address = $"{ip}/{subnet.PrefixLength}";
        endpoint.HostInterface = "veth" + endpoint.EndpointId[..7];
        NamespaceInterface? outbound = null;
        try
        {
            var mtu = join.Mtu is > 0 and < VxlanMtu ? join.Mtu : VxlanMtu;
            _context.Netlink.CreateLink(new LinkRequest("veth", endpoint.HostInterface, endpoint.InterfaceName, join.NamespacePath, Master: BridgeOf(network), Mtu: mtu, PeerMac: endpoint.MacAddress));
            // The network that carries the container's default route (the service passes its gateway only then, and
            // never for --internal): outbound through this host's gateway bridge, as Docker's docker_gwbridge.
            if (join.Gateway is not null && !network.Internal) outbound = _gateway.Join(endpoint, join.NamespacePath);
            await _directory.PublishAsync(
                new ClusterEndpoint(network.Id, endpoint.EndpointId, _node, ip.ToString(), endpoint.MacAddress, endpoint.ContainerName) { DnsNames = [.. endpoint.DnsNames] },
                lease, guard, ClusterKeys.Address(network.Id, ip), ClusterIpam.ClaimOf(_node, endpoint.EndpointId), ct);
            lock (_gate) _published[endpoint.EndpointId] = new LocalEndpoint(network, PublishedOf(network, endpoint));
            // A peer kept programmed after its lease ran out may have had this address or MAC: they are ours now.
            // After the line above, so a retention the follower is deciding right now sees this endpoint instead.
            ForgetRetained(network.Id, ip.ToString(), endpoint.MacAddress);
        }
        catch (Exception e) when (e is IOException or ClusterStoreException or EngineException)
        {
            _gateway.Leave(endpoint);
            _context.TryDeleteLink(endpoint.HostInterface);
            await _ipam.ReleaseAsync(network.Id, ip, _node, endpoint.EndpointId, CancellationToken.None);
            await RemoveLocalAsync(network, endpoint.EndpointId);
            throw;
        }

        List<NetAddress> addresses = [address, .. join.Addresses.Where(a => a.Address.AddressFamily != ip.AddressFamily)];
        NamespaceInterface overlay = new(endpoint.InterfaceName, addresses, null, null);
        return outbound is null ? [overlay] : [overlay, outbound];
    }

    public async ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            _published.Remove(endpoint.EndpointId);
            _conflicts.Remove(endpoint.EndpointId);
        }

        _gateway.Leave(endpoint);
        if (endpoint.HostInterface.Length > 0) _context.TryDeleteLink(endpoint.HostInterface);
        try
        {
            await _directory.WithdrawAsync(network.Id, endpoint.EndpointId, ct);
            if (endpoint.IPv4Address.Length > 0)
                await _ipam.ReleaseAsync(network.Id, IPAddress.Parse(endpoint.IPv4Address.Split('/')[0]), _node, endpoint.EndpointId, ct);
        }
        catch (ClusterStoreException e)
        {
            // The claims live under our lease: if the store stays away they go with it.
            OverlayLog.StoreStepFailed(_context.Logger, network.Name, "leave", e.Message);
        }

        await RemoveLocalAsync(network, endpoint.EndpointId);
    }

    public async ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _gateway.Restore(networks.SelectMany(n => n.Endpoints.Values));
        foreach (var network in networks)
        {
            var endpoints = network.Endpoints.Values.Select(e => e.EndpointId).ToList();
            if (endpoints.Count == 0)
            {
                // No container of this host on it: no data plane here (a crash may have left one).
                await TearDownAsync(network);
                continue;
            }

            try
            {
                // Recreated from scratch: the follower programs the peers there are now, stale entries go with the old link.
                if (_context.Netlink.LinkExists(VxlanOf(network))) _context.TryDeleteLink(VxlanOf(network));
                lock (_gate)
                {
                    _local[network.Id] = [.. endpoints];
                    foreach (var endpoint in network.Endpoints.Values.Where(e => e.IPv4Address.Length > 0))
                        _published[endpoint.EndpointId] = new LocalEndpoint(network, PublishedOf(network, endpoint));
                }

                Realize(network, await VniOfAsync(network, ct));
                StartFollowing(network);
            }
            catch (Exception e) when (e is ClusterStoreException or IOException or EngineException)
            {
                OverlayLog.StoreStepFailed(_context.Logger, network.Name, "restore", e.Message);
            }
        }

        // Registered already under a lease other than the one the endpoints were published under (the daemon was down
        // longer than its TTL): put them back. Under the same lease this rewrites them unchanged, which peers ignore.
        if (_lease() is var lease and not 0) Republish(lease);
        return [];
    }

    /// <summary>Bridged traffic between the endpoints and the VXLAN device (seen by iptables when br_netfilter is loaded).</summary>
    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(rules);
        var bridge = BridgeOf(network);
        List<FirewallRule> wanted = [new FirewallRule("filter", $"-A FORWARD -i {bridge} -o {bridge} -j ACCEPT")];
        // Every non-internal overlay network wants the gateway bridge's rules (the batch keeps one of each).
        if (!ipv6 && !network.Internal) wanted.AddRange(_gateway.FirewallRules(rules));
        return wanted;
    }

    public IReadOnlyList<RemoteEndpoint> RemoteEndpointsOf(NetworkRecord network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Follower? follower;
        lock (_gate)
        {
            if (!_followers.TryGetValue(network.Id, out follower)) return [];
        }

        lock (follower.Peers)
            return [.. follower.Peers.Values.Where(p => p.Names.Length > 0).Select(p => new RemoteEndpoint(p.Names.Split(' '), IPAddress.Parse(p.Address)))];
    }

    public async ValueTask DisposeAsync()
    {
        Task republish;
        lock (_gate)
        {
            _republishing?.Cancel();
            republish = _republish;
        }

        await republish;
        List<string> ids;
        lock (_gate) ids = [.. _followers.Keys];
        foreach (var id in ids) await StopFollowingAsync(id);
        _plane.Dispose();
    }

    /// <summary>02:42 followed by the IPv4 address: the service's MAC for an endpoint without one asked for.</summary>
    public static string DerivedMac(IPAddress address) =>
        "02:42:" + string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The gateway and auxiliary addresses of a pool: never handed to an endpoint by the cluster either.</summary>
    private static HashSet<IPAddress> ReservedOf(IpamPool pool)
    {
        var reserved = new HashSet<IPAddress>();
        if (IPAddress.TryParse(pool.Gateway, out var gateway)) reserved.Add(gateway);
        foreach (var aux in pool.AuxiliaryAddresses.Values)
            if (IPAddress.TryParse(aux, out var address)) reserved.Add(address);
        return reserved;
    }

    /// <summary>Counts a local endpoint in; the first one of the network on this host brings up its data plane.</summary>
    private async Task AddLocalAsync(NetworkRecord network, string endpointId, CancellationToken ct)
    {
        await _plane.WaitAsync(ct);
        try
        {
            bool first;
            lock (_gate)
            {
                if (!_local.TryGetValue(network.Id, out var endpoints)) _local[network.Id] = endpoints = [];
                first = endpoints.Count == 0;
                endpoints.Add(endpointId);
            }

            if (!first) return;
            try
            {
                Realize(network, await VniOfAsync(network, ct));
                StartFollowing(network);
            }
            catch
            {
                lock (_gate) _local.Remove(network.Id);
                await TearDownAsync(network);
                throw;
            }
        }
        finally
        {
            _plane.Release();
        }
    }

    /// <summary>Counts a local endpoint out; with the network's last one on this host its data plane goes.</summary>
    private async Task RemoveLocalAsync(NetworkRecord network, string endpointId)
    {
        await _plane.WaitAsync(CancellationToken.None);
        try
        {
            lock (_gate)
            {
                if (!_local.TryGetValue(network.Id, out var endpoints) || !endpoints.Remove(endpointId) || endpoints.Count > 0) return;
                _local.Remove(network.Id);
            }

            await TearDownAsync(network);
        }
        finally
        {
            _plane.Release();
        }
    }

    /// <summary>Stops programming peers and removes the bridge and VXLAN device (each only when there).</summary>
    private async Task TearDownAsync(NetworkRecord network)
    {
        await StopFollowingAsync(network.Id);
        if (_context.Netlink.LinkExists(VxlanOf(network))) _context.TryDeleteLink(VxlanOf(network));
        if (_context.Netlink.LinkExists(BridgeOf(network))) _context.TryDeleteLink(BridgeOf(network));
        _context.RemoteEndpointsChanged?.Invoke();
    }

    /// <summary>The network's VNI: from its options (written at create, carried to every host), else from the store
    /// (registering the network again if the store lost it).</summary>
    private async Task<int> VniOfAsync(NetworkRecord network, CancellationToken ct) =>
        network.Options.TryGetValue(VniOption, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var vni) && vni >= FirstVni
            ? vni
            : (await RegisterAsync(network, ct)).Vni;

    /// <summary>The network's VNI, registering it in the store unless it is there (created on another host, or by us
    /// before a restart). Registered: true when this call created it.</summary>
    private async Task<(int Vni, bool Registered)> RegisterAsync(NetworkRecord network, CancellationToken ct)
    {
        var nameKey = ClusterKeys.NetworkName(network.Name);
        var networkKey = ClusterKeys.Network(network.Id);
        var taken = new HashSet<int>();
        while (true)
        {
            if (await _store.GetAsync(networkKey, ct) is { } existing)
            {
                var stored = JsonSerializer.Deserialize(existing.Value, ClusterJsonContext.Default.ClusterNetwork)!.Vni;
                network.Options[VniOption] = stored.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return (stored, false);
            }

            var owner = await _store.GetAsync(nameKey, ct);
            if (owner is not null && Encoding.UTF8.GetString(owner.Value) != network.Id)
                throw EngineException.Conflict($"network with name {network.Name} already exists");
            if (taken.Count == 0)
            {
                var vnis = await _store.ListAsync(ClusterKeys.Vnis, ct);
                foreach (var entry in vnis.Entries) taken.Add(int.Parse(entry.Key[ClusterKeys.Vnis.Length..], System.Globalization.CultureInfo.InvariantCulture));
            }

            var vni = FirstVni;
            while (taken.Contains(vni)) vni++;
            if (vni > LastVni) throw new EngineException(ErrorKind.Unavailable, "no VXLAN ids (VNIs) left for overlay networks");
            network.Options[VniOption] = vni.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var record = ClusterNetwork.Of(network, vni, _node);
            var id = Encoding.UTF8.GetBytes(network.Id);
            var result = await _store.CommitAsync(new ClusterTransaction(
                [ClusterCompare.Absent(nameKey), ClusterCompare.Absent(ClusterKeys.Vni(vni)), ClusterCompare.Absent(networkKey)],
                [
                    ClusterOperation.Put(networkKey, JsonSerializer.SerializeToUtf8Bytes(record, ClusterJsonContext.Default.ClusterNetwork)),
                    ClusterOperation.Put(nameKey, id),
                    ClusterOperation.Put(ClusterKeys.Vni(vni), id),
                ]), ct);
            if (result.Succeeded) return (vni, true);
            // Lost a race: for the name (the next round answers 409), or for the VNI (the next round takes another).
            taken.Add(vni);
        }
    }

    /// <summary>Removes the network's keys (its name and VNI only while they are still ours). Best effort.</summary>
    private async Task UnregisterAsync(NetworkRecord network)
    {
        try
        {
            var networkKey = ClusterKeys.Network(network.Id);
            var id = Encoding.UTF8.GetBytes(network.Id);
            var existing = await _store.GetAsync(networkKey);
            List<ClusterOperation> deletes = [ClusterOperation.DeletePrefix(ClusterKeys.Addresses(network.Id)), ClusterOperation.DeletePrefix(ClusterKeys.Endpoints(network.Id)), ClusterOperation.Delete(ClusterKeys.IpamLast(network.Id))];
            if (existing is not null)
            {
                var record = JsonSerializer.Deserialize(existing.Value, ClusterJsonContext.Default.ClusterNetwork)!;
                await _store.CommitAsync(new ClusterTransaction([ClusterCompare.ValueEquals(ClusterKeys.Vni(record.Vni), id)], [ClusterOperation.Delete(ClusterKeys.Vni(record.Vni))]));
                deletes.Add(ClusterOperation.Delete(networkKey));
            }

            await _store.CommitAsync(new ClusterTransaction([ClusterCompare.ValueEquals(ClusterKeys.NetworkName(network.Name), id)], [ClusterOperation.Delete(ClusterKeys.NetworkName(network.Name))]));
            await _store.CommitAsync(new ClusterTransaction([], deletes));
        }
        catch (ClusterStoreException e)
        {
            OverlayLog.StoreStepFailed(_context.Logger, network.Name, "delete", e.Message);
        }
    }

    private void Realize(NetworkRecord network, int vni)
    {
        // The gateway address on every host's bridge: what the embedded DNS listens on for this host's containers.
        List<NetAddress> gateways = [.. network.Ipam
            .Where(p => IPAddress.TryParse(p.Gateway, out var g) && g.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .Select(p => new NetAddress(IPAddress.Parse(p.Gateway), Subnet.Parse(p.Subnet).PrefixLength))];
        _context.Netlink.EnsureBridge(BridgeOf(network), VxlanMtu, gateways);
        if (!_context.Netlink.LinkExists(VxlanOf(network)))
            _context.Netlink.CreateVxlan(VxlanOf(network), vni, underlay: null, _advertise, VxlanPort, VxlanMtu, BridgeOf(network));
    }

    private void StartFollowing(NetworkRecord network)
    {
        var follower = new Follower(VxlanOf(network), network.Name, network.Id);
        lock (_gate)
        {
            if (_followers.ContainsKey(network.Id)) return;
            _followers[network.Id] = follower;
        }

        follower.Task = Task.Run(() => _directory.FollowAsync(network.Id, _node, change => Apply(follower, change), follower.Stopping, follower.Resync));
    }

    private async Task StopFollowingAsync(string networkId)
    {
        Follower? follower;
        lock (_gate)
        {
            if (!_followers.Remove(networkId, out follower)) return;
        }

        await follower.Stop.CancelAsync();
        try
        {
            if (follower.Task is { } task) await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }

        follower.Stop.Dispose();
    }

    /// <summary>Programs (or removes, or keeps for a while) one remote endpoint on this host's VXLAN device.</summary>
    private async Task Apply(Follower follower, OverlayPeerChange change)
    {
        var peer = change.Peer;
        // Asked before taking the lock (the store may be slow): did the endpoint go with its node's lease rather than
        // by a leave? Then its node died or is cut from the store, which look alike from here.
        var retain = !change.Added && _peerRetention > TimeSpan.Zero && await LeaseLapsedAsync(peer, follower.Stopping);
        lock (follower.Peers)
        {
            if (change.Added) follower.Peers[peer.EndpointId] = peer;
            else follower.Peers.Remove(peer.EndpointId);
        }

        lock (follower.Gate)
        {
            if (change.Added) Program(follower, peer);
            else if (retain && !HeldLocally(follower.NetworkId, peer)) Retain(follower, peer);
            else Unprogram(follower, peer);
        }

        if (peer.Names.Length > 0) _context.RemoteEndpointsChanged?.Invoke();
    }

    /// <summary>True when the peer's node is no longer registered (its lease ran out), or when the store cannot say:
    /// keeping the entries a while is the side that does not cut traffic. The node is named by its VTEP address.</summary>
    private async Task<bool> LeaseLapsedAsync(OverlayPeer peer, CancellationToken ct)
    {
        try
        {
            return await _store.GetAsync(ClusterKeys.Node(peer.Vtep), ct) is null;
        }
        catch (ClusterStoreException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false; // the follower stops: its device goes with every entry
        }
    }

    private void Program(Follower follower, OverlayPeer peer)
    {
        var counted = false;
        foreach (var (id, kept) in follower.Retained
                     .Where(r => r.Value.Peer.EndpointId == peer.EndpointId || r.Value.Peer.Address == peer.Address || r.Value.Peer.MacAddress == peer.MacAddress)
                     .ToList())
        {
            follower.Retained.Remove(id);
            // Published again unchanged (its host is back): its entries and its VTEP's count are still there.
            // Anything else: its address or MAC belongs to another endpoint now.
            if (kept.Peer == peer) counted = true;
            else Unprogram(follower, kept.Peer);
        }

        var netlink = _context.Netlink;
        try
        {
            var vtep = IPAddress.Parse(peer.Vtep);
            var address = IPAddress.Parse(peer.Address);
            if (!counted)
            {
                follower.PeersByVtep.TryGetValue(vtep, out var count);
                if (count == 0) netlink.AppendFdb(follower.Vxlan, FloodMac, vtep);
                follower.PeersByVtep[vtep] = count + 1;
            }

            netlink.AddNeighbour(follower.Vxlan, peer.MacAddress, vtep, fdb: true);
            netlink.AddNeighbour(follower.Vxlan, peer.MacAddress, address, fdb: false);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            OverlayLog.PeerNotProgrammed(_context.Logger, follower.Network, peer.EndpointId, e.Message);
        }
    }

    private void Unprogram(Follower follower, OverlayPeer peer)
    {
        try
        {
            var vtep = IPAddress.Parse(peer.Vtep);
            var address = IPAddress.Parse(peer.Address);
            follower.PeersByVtep.TryGetValue(vtep, out var count);
            TryDelete(follower, peer.MacAddress, address, fdb: false);
            TryDelete(follower, peer.MacAddress, vtep, fdb: true);
            if (count <= 1)
            {
                follower.PeersByVtep.Remove(vtep);
                TryDelete(follower, FloodMac, vtep, fdb: true);
            }
            else
            {
                follower.PeersByVtep[vtep] = count - 1;
            }
        }
        catch (FormatException e)
        {
            OverlayLog.PeerNotProgrammed(_context.Logger, follower.Network, peer.EndpointId, e.Message);
        }
    }

    private void Retain(Follower follower, OverlayPeer peer)
    {
        var kept = new RetainedPeer(peer);
        if (follower.Retained.Remove(peer.EndpointId, out var earlier) && earlier.Peer != peer) Unprogram(follower, earlier.Peer);
        follower.Retained[peer.EndpointId] = kept;
        OverlayLog.PeerRetained(_context.Logger, follower.Network, peer.Address, peer.Vtep, _peerRetention);
        _ = ExpireAsync(follower, kept);
    }

    private async Task ExpireAsync(Follower follower, RetainedPeer kept)
    {
        try
        {
            await Task.Delay(_peerRetention, follower.Stopping);
        }
        catch (OperationCanceledException)
        {
            return; // the follower stopped: its device went with the entries
        }

        lock (follower.Gate)
        {
            if (!follower.Retained.TryGetValue(kept.Peer.EndpointId, out var now) || !ReferenceEquals(now, kept)) return;
            follower.Retained.Remove(kept.Peer.EndpointId);
            Unprogram(follower, kept.Peer);
        }

        OverlayLog.PeerRetentionEnded(_context.Logger, follower.Network, kept.Peer.Address, kept.Peer.Vtep);
    }

    /// <summary>True when an endpoint of this host on the network has the peer's address or MAC now (it took the
    /// address while the peer's host was away): the peer's entries must not shadow it.</summary>
    private bool HeldLocally(string networkId, OverlayPeer peer)
    {
        lock (_gate)
            return _published.Values.Any(l => l.Network.Id == networkId && (l.Endpoint.Address == peer.Address || l.Endpoint.MacAddress == peer.MacAddress));
    }

    private void ForgetRetained(string networkId, string address, string mac)
    {
        Follower? follower;
        lock (_gate)
        {
            if (!_followers.TryGetValue(networkId, out follower)) return;
        }

        lock (follower.Gate)
        {
            foreach (var (id, kept) in follower.Retained.Where(r => r.Value.Peer.Address == address || r.Value.Peer.MacAddress == mac).ToList())
            {
                follower.Retained.Remove(id);
                Unprogram(follower, kept.Peer);
            }
        }
    }

    private void TryDelete(Follower follower, string mac, IPAddress destination, bool fdb)
    {
        try
        {
            _context.Netlink.DeleteNeighbour(follower.Vxlan, mac, destination, fdb);
        }
        catch (IOException e)
        {
            OverlayLog.PeerNotProgrammed(_context.Logger, follower.Network, mac, e.Message);
        }
    }

    private async Task RepublishLoopAsync(long lease, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RepublishAsync(lease, ct);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (ClusterStoreException e)
            {
                OverlayLog.StoreStepFailed(_context.Logger, "(all)", "publish again under a new lease", e.Message);
            }

            try
            {
                await Task.Delay(delay, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(3).Ticks));
        }
    }

    private async Task RepublishAsync(long lease, CancellationToken ct)
    {
        List<LocalEndpoint> mine;
        lock (_gate) mine = [.. _published.Values];
        var published = 0;
        foreach (var local in mine)
        {
            if (_lease() != lease) return; // a newer lease: its own round follows
            var (network, endpoint) = (local.Network, local.Endpoint);
            var ip = IPAddress.Parse(endpoint.Address);
            var guard = new ClusterNetworkGuard(_store, network.Id, network.Name);
            try
            {
                if (await _ipam.ReclaimAsync(network.Id, ip, _node, endpoint.EndpointId, lease, guard, ct) is { } holder)
                {
                    lock (_gate) if (_published.ContainsKey(endpoint.EndpointId)) _conflicts[endpoint.EndpointId] = holder;
                    OverlayLog.AddressConflict(_context.Logger, network.Name, endpoint.Name, endpoint.Address, holder.Node);
                    continue;
                }

                await _directory.PublishAsync(endpoint, lease, guard, ClusterKeys.Address(network.Id, ip), ClusterIpam.ClaimOf(_node, endpoint.EndpointId), ct);
                bool stillHere;
                lock (_gate)
                {
                    _conflicts.Remove(endpoint.EndpointId);
                    stillHere = _published.TryGetValue(endpoint.EndpointId, out var now) && now == local;
                }

                if (!stillHere)
                {
                    // It left while we put it back: take it out again.
                    await _directory.WithdrawAsync(network.Id, endpoint.EndpointId, ct);
                    await _ipam.ReleaseAsync(network.Id, ip, _node, endpoint.EndpointId, ct);
                    continue;
                }

                published++;
            }
            catch (EngineException e)
            {
                // The network left the store, or is being removed: nothing to put back on it.
                OverlayLog.StoreStepFailed(_context.Logger, network.Name, "publish " + endpoint.Name + " again", e.Message);
            }
        }

        OverlayLog.Republished(_context.Logger, published, lease);
        List<Follower> followers;
        lock (_gate) followers = [.. _followers.Values];
        foreach (var follower in followers) follower.Resync.Request();
    }

    /// <summary>What this host published for one of its endpoints (the same, published again under a new lease).</summary>
    private ClusterEndpoint PublishedOf(NetworkRecord network, EndpointRecord endpoint) =>
        new(network.Id, endpoint.EndpointId, _node, endpoint.IPv4Address.Split('/')[0], endpoint.MacAddress, endpoint.ContainerName) { DnsNames = [.. endpoint.DnsNames] };

    private sealed record LocalEndpoint(NetworkRecord Network, ClusterEndpoint Endpoint);

    /// <summary>A peer kept programmed after its node's lease ran out (compared by reference: a later retention of
    /// the same peer is another one, with its own time).</summary>
    private sealed class RetainedPeer(OverlayPeer peer)
    {
        public OverlayPeer Peer { get; } = peer;
    }

    /// <summary>The watch of one network's endpoints and what it programmed (peers per VTEP: the flood entry goes
    /// with the last one). <see cref="Gate"/> serialises programming by the watch and by retention timers.</summary>
    private sealed class Follower
    {
        public Follower(string vxlan, string network, string networkId)
        {
            Vxlan = vxlan;
            Network = network;
            NetworkId = networkId;
            Stopping = Stop.Token;
        }

        public string Vxlan { get; }
        public string Network { get; }
        public string NetworkId { get; }
        public CancellationTokenSource Stop { get; } = new();
        public CancellationToken Stopping { get; }
        public FollowerResync Resync { get; } = new();
        public Lock Gate { get; } = new();
        public Dictionary<IPAddress, int> PeersByVtep { get; } = [];

        /// <summary>Peers whose node's lease ran out, still programmed for a while, by endpoint id.</summary>
        public Dictionary<string, RetainedPeer> Retained { get; } = new(StringComparer.Ordinal);

        /// <summary>The remote endpoints programmed now, by endpoint id (their names answer in the embedded DNS).</summary>
        public Dictionary<string, OverlayPeer> Peers { get; } = new(StringComparer.Ordinal);
        public Task? Task { get; set; }
    }
}
