using System.Text.Json;
using Wharf.Api.Swarm;
using Wharf.Api.System;
using Wharf.Daemon.Http;
using Wharf.Daemon.Swarm;
using Wharf.Engine.Swarm;
using Wharf.Linux.Host;

namespace Wharf.Daemon.Mapping;

/// <summary>The engine's <see cref="SwarmState"/> in the API's shapes: GET /swarm, /info's Swarm, the node.</summary>
internal static class SwarmMapper
{
    public static SwarmInspect ToInspect(SwarmState state)
    {
        var inspect = new SwarmInspect { JoinTokens = new JoinTokens { Worker = state.WorkerToken, Manager = state.ManagerToken } };
        Fill(inspect, state);
        return inspect;
    }

    public static SwarmInfo ToInfo(SwarmState? state)
    {
        if (state is null) return new SwarmInfo();
        var cluster = new ClusterInfo();
        Fill(cluster, state);
        return new SwarmInfo
        {
            NodeID = state.NodeId,
            NodeAddr = SwarmAddresses.IpOf(state.AdvertiseAddr),
            LocalNodeState = "active",
            ControlAvailable = true,
            RemoteManagers = [new PeerNode { NodeID = state.NodeId, Addr = state.AdvertiseAddr }],
            Nodes = 1,
            Managers = 1,
            Cluster = cluster,
        };
    }

    public static NodeResource ToNode(SwarmState state, HostFacts host) => new()
    {
        ID = state.NodeId,
        Version = new ObjectVersion { Index = state.NodeVersion },
        CreatedAt = ContainerMapper.FormatTime(state.CreatedAt),
        UpdatedAt = ContainerMapper.FormatTime(state.NodeUpdatedAt),
        Spec = NodeSpecOf(state),
        Description = new NodeDescription
        {
            Hostname = host.Hostname,
            Platform = new NodePlatform { Architecture = host.Architecture, OS = "linux" },
            Resources = new NodeResources { NanoCPUs = host.NCPU * 1_000_000_000L, MemoryBytes = host.MemTotal },
            Engine = new NodeEngine
            {
                EngineVersion = ApiVersions.EngineVersion,
                Plugins = [new() { Type = "Log", Name = "json-file" }, new() { Type = "Log", Name = "local" }, new() { Type = "Network", Name = "bridge" },
                    new() { Type = "Network", Name = "host" }, new() { Type = "Network", Name = "macvlan" }, new() { Type = "Network", Name = "null" },
                    new() { Type = "Network", Name = "overlay" }, new() { Type = "Volume", Name = "local" }],
            },
        },
        Status = new NodeStatus { State = "ready", Addr = SwarmAddresses.IpOf(state.AdvertiseAddr) },
        ManagerStatus = new ManagerStatus { Leader = true, Reachability = "reachable", Addr = state.AdvertiseAddr },
    };

    public static NodeSpec NodeSpecOf(SwarmState state) =>
        JsonSerializer.Deserialize(state.NodeSpecJson, SwarmApiJsonContext.Default.NodeSpec) ?? new NodeSpec();

    /// <summary>A node spec as kept: Docker's defaults for what a client left out.</summary>
    public static string NodeSpecJson(NodeSpec? given) => JsonSerializer.Serialize(new NodeSpec
    {
        Name = given?.Name ?? "",
        Labels = given?.Labels ?? [],
        Role = string.IsNullOrEmpty(given?.Role) ? "manager" : given.Role,
        Availability = string.IsNullOrEmpty(given?.Availability) ? "active" : given.Availability,
    }, SwarmApiJsonContext.Default.NodeSpec);

    public static string SpecJson(SwarmSpec? given) =>
        JsonSerializer.Serialize(SwarmSpecDefaults.Complete(given), SwarmApiJsonContext.Default.SwarmSpec);

    private static void Fill(ClusterInfo cluster, SwarmState state)
    {
        cluster.ID = state.ClusterId;
        cluster.Version = new ObjectVersion { Index = state.Version };
        cluster.CreatedAt = ContainerMapper.FormatTime(state.CreatedAt);
        cluster.UpdatedAt = ContainerMapper.FormatTime(state.UpdatedAt);
        cluster.Spec = JsonSerializer.Deserialize(state.SpecJson, SwarmApiJsonContext.Default.SwarmSpec) ?? new SwarmSpec();
        cluster.DataPathPort = state.DataPathPort;
        cluster.DefaultAddrPool = [.. state.DefaultAddrPool];
        cluster.SubnetSize = state.SubnetSize;
    }
}
