using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;

namespace Wharf.Engine.Swarm;

/// <summary>The "overlay" driver of a daemon without a cluster store: the networks of the single-node swarm this
/// daemon manages after <c>docker swarm init</c> (Docker's scope "swarm"), and a clear refusal before that.
/// <para>A swarm of one has no peer to tunnel to, so a VXLAN device would carry nothing: each network is a local L2
/// segment, a Linux bridge with the bridge driver's addressing, isolation and outbound NAT (Docker's overlay reaches
/// outside through docker_gwbridge to the same effect). Its bridges are kept in a ledger of their own
/// (network/swarm-overlay), so neither driver ever takes the other's bridges for crash leftovers. Multi-host overlay
/// networks are the cluster-store overlay driver's (issue 18), which replaces this one when configured.</para>
/// <para>As in Docker, a container joins only an attachable network (the others are for swarm services, which a
/// Wharf swarm does not run), and no container joins the ingress network.</para></summary>
public sealed class SwarmOverlayDriver : INetworkDriver
{
    public const string DriverName = "overlay";

    /// <summary>Docker's answer on a node that is not a swarm manager, with the other way Wharf offers.</summary>
    public const string NotSwarmManager =
        "This node is not a swarm manager. Use \"docker swarm init\" to make it a single-node swarm, or start wharfd with " +
        "--cluster-store etcd://HOST:PORT and --cluster-advertise IP (daemon.json \"cluster-store\" and \"cluster-advertise\") " +
        "for overlay networks across hosts";

    private readonly SwarmMembership _membership;
    private readonly BridgeDriver _segments;

    public SwarmOverlayDriver(NetworkDriverContext context, SwarmMembership membership)
    {
        ArgumentNullException.ThrowIfNull(context);
        _membership = membership;
        _segments = new BridgeDriver(new NetworkDriverContext(context.Netlink, Path.Combine(context.StoreDir, "swarm-overlay"), context.DefaultMtu, context.Networks, context.Logger));
    }

    public string Name => DriverName;

    public NetworkScope Scope => NetworkScope.Swarm;

    public NetworkDriverCapabilities Capabilities => _segments.Capabilities;

    /// <summary>The service's first call to a driver on create: nothing is made on a node outside a swarm.</summary>
    public void ValidateOptions(IReadOnlyDictionary<string, string> options)
    {
        if (!_membership.IsActive) throw new EngineException(ErrorKind.Unavailable, NotSwarmManager);
        _segments.ValidateOptions(options);
    }

    public ValueTask CreateAsync(NetworkRecord network, CancellationToken ct)
    {
        if (!_membership.IsActive) throw new EngineException(ErrorKind.Unavailable, NotSwarmManager);
        return _segments.CreateAsync(network, ct);
    }

    public ValueTask DeleteAsync(NetworkRecord network, CancellationToken ct) => _segments.DeleteAsync(network, ct);

    public ValueTask<IReadOnlyList<NamespaceInterface>> JoinAsync(NetworkRecord network, EndpointRecord endpoint, EndpointJoin join, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(network);
        // Docker's wording (the swarm allocator's PermissionDenied): only services join the other networks.
        if (!network.Attachable || network.Ingress)
            throw new EngineException(ErrorKind.Forbidden, $"Could not attach to network {network.Name}: rpc error: code = PermissionDenied desc = network {network.Name} not manually attachable");
        return _segments.JoinAsync(network, endpoint, join, ct);
    }

    public ValueTask LeaveAsync(NetworkRecord network, EndpointRecord endpoint, string? namespacePath, CancellationToken ct) =>
        _segments.LeaveAsync(network, endpoint, namespacePath, ct);

    public ValueTask<IReadOnlyList<NetworkRecord>> RestoreAsync(IReadOnlyList<NetworkRecord> networks, CancellationToken ct) =>
        _segments.RestoreAsync(networks, ct);

    public IReadOnlyList<FirewallRule> FirewallRulesOf(NetworkRecord network, FirewallRules rules, bool ipv6) =>
        _segments.FirewallRulesOf(network, rules, ipv6);
}
