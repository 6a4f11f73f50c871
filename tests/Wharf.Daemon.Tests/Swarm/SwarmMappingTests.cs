using System.Text.Json;
using Wharf.Api;
using Wharf.Api.Swarm;
using Wharf.Daemon.Mapping;
using Wharf.Daemon.Swarm;
using Wharf.Engine.Swarm;
using Wharf.Linux.Host;

namespace Wharf.Daemon.Tests.Swarm;

/// <summary>The swarm in the API's shapes: the spec's defaults, /info's Swarm inside and outside a swarm, the node.</summary>
public sealed class SwarmMappingTests
{
    private static readonly SwarmState State = new()
    {
        ClusterId = "c0000000000000000000000001",
        NodeId = "n0000000000000000000000001",
        CreatedAt = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse("2026-12-07T10:00:01Z", System.Globalization.CultureInfo.InvariantCulture),
        Version = 10,
        NodeVersion = 9,
        AdvertiseAddr = "127.0.0.1:2377",
        ListenAddr = "0.0.0.0:2377",
        DataPathPort = 4789,
        DefaultAddrPool = ["10.0.0.0/8"],
        SubnetSize = 24,
        WorkerToken = "SWMTKN-1-a-w",
        ManagerToken = "SWMTKN-1-a-m",
        SpecJson = SwarmMapper.SpecJson(null),
        NodeSpecJson = SwarmMapper.NodeSpecJson(null),
    };

    [Fact]
    public void Spec_LeftOut_IsSwarmkitsDefaults()
    {
        var spec = SwarmSpecDefaults.Complete(null);

        Assert.Equal("default", spec.Name);
        Assert.Equal(5, spec.Orchestration?.TaskHistoryRetentionLimit);
        Assert.Equal(10000UL, spec.Raft?.SnapshotInterval);
        Assert.Equal(500UL, spec.Raft?.LogEntriesForSlowFollowers);
        Assert.Equal((10, 1), (spec.Raft?.ElectionTick, spec.Raft?.HeartbeatTick));
        Assert.Equal(5_000_000_000, spec.Dispatcher?.HeartbeatPeriod);
        Assert.Equal(7_776_000_000_000_000, spec.CAConfig?.NodeCertExpiry);
        Assert.False(spec.EncryptionConfig?.AutoLockManagers);
    }

    [Fact]
    public void Spec_Given_KeepsWhatWasSet_AndFillsTheRest()
    {
        var spec = SwarmSpecDefaults.Complete(new SwarmSpec { Name = "mine", Raft = new SwarmRaft { ElectionTick = 20 }, Labels = new() { ["a"] = "b" } });

        Assert.Equal(("mine", 20, 1, "b"), (spec.Name, spec.Raft?.ElectionTick, spec.Raft?.HeartbeatTick, spec.Labels?["a"]));
    }

    [Fact]
    public void Info_OutsideASwarm_IsInactive_AndLeavesOutWhatDockerLeavesOut()
    {
        var json = JsonSerializer.Serialize(SwarmMapper.ToInfo(null), ApiJsonContext.Default.SwarmInfo);

        Assert.Contains("\"LocalNodeState\":\"inactive\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Nodes\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Cluster\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_InASwarm_IsThisNodeAsTheOnlyManager()
    {
        var info = SwarmMapper.ToInfo(State);

        Assert.Equal(("active", true, "127.0.0.1", 1, 1), (info.LocalNodeState, info.ControlAvailable, info.NodeAddr, info.Nodes, info.Managers));
        Assert.Equal(State.ClusterId, info.Cluster?.ID);
        Assert.Equal("default", info.Cluster?.Spec.Name);
        var manager = Assert.Single(info.RemoteManagers ?? []);
        Assert.Equal((State.NodeId, "127.0.0.1:2377"), (manager.NodeID, manager.Addr));
    }

    [Fact]
    public void Inspect_CarriesTheJoinTokensAndVersion()
    {
        var inspect = SwarmMapper.ToInspect(State);

        Assert.Equal(("SWMTKN-1-a-w", "SWMTKN-1-a-m", 10L), (inspect.JoinTokens.Worker, inspect.JoinTokens.Manager, inspect.Version.Index));
        Assert.Equal("2026-12-07T10:00:00Z", inspect.CreatedAt);
    }

    [Fact]
    public void Node_IsTheReadyLeader_WithTheHostsResources()
    {
        var host = new HostFacts
        {
            KernelVersion = "6.1", OperatingSystem = "Debian", OSType = "linux", Architecture = "x86_64", NCPU = 2, MemTotal = 1 << 30,
            CgroupVersion = "1", CgroupDriver = "cgroupfs", Hostname = "vm",
        };

        var node = SwarmMapper.ToNode(State, host);

        Assert.Equal(("manager", "active"), (node.Spec.Role, node.Spec.Availability));
        Assert.Equal(("ready", true, "reachable"), (node.Status.State, node.ManagerStatus.Leader, node.ManagerStatus.Reachability));
        Assert.Equal(("vm", 2_000_000_000L, 1L << 30), (node.Description.Hostname, node.Description.Resources.NanoCPUs, node.Description.Resources.MemoryBytes));
    }
}
