using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Swarm;

/// <summary>Swarm mode as far as one node goes: <c>docker swarm init</c> makes this daemon the manager of a swarm of
/// one, with Docker's ids, join tokens, cluster spec and "ingress" network, and its swarm-scoped overlay networks
/// (<see cref="SwarmOverlayDriver"/>); leave, update and node update work as on Docker. What needs more than one node
/// or an orchestrator — joining another swarm, services and their tasks, secrets and configs, which only services
/// consume — is refused with a clear 501, never pretended.</summary>
public sealed class SwarmService(SwarmMembership membership, NetworkService networks, ContainerService containers, TimeProvider time, string? unavailableReason = null)
{
    public const string NotInSwarm = "This node is not part of a swarm";
    public const string NotManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";
    public const string AlreadyInSwarm = "This node is already part of a swarm. Use \"docker swarm leave\" to leave this swarm and join another one.";
    public const string LastManager = "You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.";
    public const string IngressName = "ingress";

    private readonly Lock _gate = new();

    /// <summary>The state of the swarm this node manages; Docker's 503 outside one.</summary>
    public SwarmState Current => membership.Current ?? throw new EngineException(ErrorKind.Unavailable, NotManager);

    /// <summary>The state, or null outside a swarm (for views that show either).</summary>
    public SwarmState? CurrentOrNull => membership.Current;

    public bool IsActive => membership.IsActive;

    /// <summary>Docker's 503 unless this node manages a swarm: the guard of every manager-only route.</summary>
    public void RequireManager() => _ = Current;

    /// <summary>docker swarm init: the node becomes the manager of a new swarm and gets its ingress network. Nothing is
    /// kept when a step fails.</summary>
    public SwarmState Init(SwarmInitParams request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (unavailableReason is not null) throw new EngineException(ErrorKind.Unavailable, unavailableReason);
        lock (_gate)
        {
            if (membership.IsActive) throw new EngineException(ErrorKind.Unavailable, AlreadyInSwarm);
            var now = time.GetUtcNow();
            var ca = SwarmTokens.NewCaPart();
            var state = new SwarmState
            {
                ClusterId = SwarmTokens.NewId(),
                NodeId = SwarmTokens.NewId(),
                CreatedAt = now,
                UpdatedAt = now,
                Version = 10,
                NodeVersion = 9,
                NodeUpdatedAt = now,
                ListenAddr = request.ListenAddr,
                AdvertiseAddr = request.AdvertiseAddr,
                DataPathAddr = request.DataPathAddr,
                DataPathPort = request.DataPathPort,
                DefaultAddrPool = request.DefaultAddrPool,
                SubnetSize = request.SubnetSize,
                WorkerToken = SwarmTokens.NewToken(ca),
                ManagerToken = SwarmTokens.NewToken(ca),
                SpecJson = request.SpecJson,
                NodeSpecJson = request.NodeSpecJson,
            };
            // The driver makes swarm networks only for a member: the state is current while the ingress network is
            // made, and durable only once it exists.
            membership.Set(state);
            NetworkRecord? ingress = null;
            try
            {
                ingress = networks.Create(new NetworkCreateParams(IngressName, SwarmOverlayDriver.DriverName, Internal: false, Attachable: false,
                    EnableIPv6: false, Ipam: [], Options: new Dictionary<string, string>(), Labels: new Dictionary<string, string>(), Ingress: true));
                membership.Save(state);
                return state;
            }
            catch
            {
                membership.Set(null);
                if (ingress is not null) networks.Remove(ingress.Id);
                throw;
            }
        }
    }

    /// <summary>docker swarm update: a new spec (and new join tokens when asked), refused when
    /// <paramref name="version"/> is not the current one (another update came first).</summary>
    public SwarmState Update(long version, string specJson, bool rotateWorkerToken, bool rotateManagerToken)
    {
        lock (_gate)
        {
            var current = Current;
            if (version != current.Version) throw EngineException.Invalid("update out of sequence");
            var ca = SwarmTokens.CaPartOf(current.WorkerToken);
            var updated = current with
            {
                SpecJson = specJson,
                Version = current.Version + 1,
                UpdatedAt = time.GetUtcNow(),
                WorkerToken = rotateWorkerToken ? SwarmTokens.NewToken(ca) : current.WorkerToken,
                ManagerToken = rotateManagerToken ? SwarmTokens.NewToken(ca) : current.ManagerToken,
            };
            membership.Save(updated);
            return updated;
        }
    }

    /// <summary>docker node update of this node (the only one): labels, name, availability. The last manager cannot
    /// be demoted, as in Docker.</summary>
    public SwarmState UpdateNode(string nodeId, long version, string nodeSpecJson, string role)
    {
        lock (_gate)
        {
            var current = Current;
            if (nodeId != current.NodeId) throw EngineException.NotFound($"node {nodeId} not found");
            if (version != current.NodeVersion) throw EngineException.Invalid("update out of sequence");
            if (role == "worker") throw EngineException.Invalid("attempting to demote the last manager of the swarm");
            var updated = current with { NodeSpecJson = nodeSpecJson, NodeVersion = current.NodeVersion + 1, NodeUpdatedAt = time.GetUtcNow() };
            membership.Save(updated);
            return updated;
        }
    }

    /// <summary>docker swarm leave: the last manager leaves only when forced; its swarm networks go with the swarm,
    /// after the containers attached to them are disconnected (Docker's clearAttachableNetworks).</summary>
    public async Task LeaveAsync(bool force, CancellationToken ct)
    {
        if (!membership.IsActive) throw new EngineException(ErrorKind.Unavailable, NotInSwarm);
        if (!force) throw new EngineException(ErrorKind.Unavailable, LastManager);
        foreach (var network in networks.All().Where(n => networks.ScopeOf(n) == "swarm"))
        {
            foreach (var containerId in network.Endpoints.Keys.ToList())
            {
                try
                {
                    await containers.DisconnectNetworkAsync(containerId, network.Id, force: true, ct).ConfigureAwait(false);
                }
                catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
                {
                    // The container went meanwhile, and its endpoint with it.
                }
            }
            try
            {
                networks.Remove(network.Id);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Removed meanwhile.
            }
        }
        lock (_gate) membership.Save(null);
    }

    /// <summary>What a manager of a swarm of one cannot do, in one wording.</summary>
    public static EngineException NotSupported(string what) =>
        new(ErrorKind.NotImplemented, $"{what} is not supported: Wharf's swarm mode is a single-node swarm without an orchestrator (no services, tasks, secrets or configs, no other nodes); run containers with docker run or wharf compose");
}
