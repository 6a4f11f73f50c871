using Wharf.Core.Errors;
using Wharf.Engine.Networks;
using Wharf.Engine.Networks.Drivers;
using Wharf.Engine.Swarm;
using Wharf.Engine.Tests.Containers;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Swarm;

/// <summary>The single-node swarm: init, its ingress and swarm-scoped overlay networks, update, node update, leave —
/// on the recording host fakes.</summary>
public sealed class SwarmServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("wharf-swarm");
    private readonly RecordingNetlink _netlink = new();
    private ContainerServiceHarness _containers = null!;
    private NetworkService _networks = null!;
    private SwarmMembership _membership = null!;
    private SwarmService _swarm = null!;

    private string DataRoot => _dir.Combine("data");

    public async Task InitializeAsync()
    {
        _containers = await ContainerServiceHarness.CreateAsync();
        _membership = new SwarmMembership(DataRoot);
        _networks = new NetworkService(
            new NetworkOptions { DataRoot = DataRoot, ExecRoot = _dir.Combine("exec"), DefaultBridge = "wswm0", ChainPrefix = "ws1" },
            _netlink, new RecordingNamespaceOps(), new RecordingFirewall(), (_, _, _) => { }, TimeProvider.System,
            drivers: context => [.. NetworkDriverRegistry.BuiltIn(context), new SwarmOverlayDriver(context, _membership)]);
        _networks.Initialize();
        _swarm = new SwarmService(_membership, _networks, _containers.Service, TimeProvider.System);
    }

    [Fact]
    public void Init_MakesThisNodeTheManager_WithAnIngressNetwork_AndKeepsItAcrossRestarts()
    {
        var state = _swarm.Init(Request());

        Assert.True(_swarm.IsActive);
        Assert.Matches("^[0-9a-z]{25}$", state.NodeId);
        Assert.Matches("^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$", state.WorkerToken);
        Assert.Equal(state.WorkerToken.Split('-')[2], state.ManagerToken.Split('-')[2]);
        Assert.NotEqual(state.WorkerToken, state.ManagerToken);
        var ingress = Assert.Single(_networks.All(), n => n.Ingress);
        Assert.Equal(("ingress", "overlay", "swarm"), (ingress.Name, ingress.Driver, _networks.ScopeOf(ingress)));
        Assert.Contains(ingress.Interface, _netlink.Links);
        Assert.Equal(state.NodeId, new SwarmMembership(DataRoot).Current?.NodeId);
    }

    [Fact]
    public void Init_Twice_IsDockers503()
    {
        _swarm.Init(Request());

        var error = Assert.Throws<EngineException>(() => _swarm.Init(Request()));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal(SwarmService.AlreadyInSwarm, error.Message);
    }

    [Fact]
    public void Init_WhenTheIngressNetworkCannotBeMade_LeavesTheNodeOutsideAnySwarm()
    {
        _networks.Create(Network("ingress", "bridge"));

        Assert.Throws<EngineException>(() => _swarm.Init(Request()));

        Assert.False(_swarm.IsActive);
        Assert.Null(new SwarmMembership(DataRoot).Current);
        Assert.DoesNotContain(_networks.All(), n => n.Driver == "overlay");
    }

    [Fact]
    public void OverlayNetwork_OutsideASwarm_IsRefusedWithDockersWords_AndNothingIsMade()
    {
        var linksBefore = _netlink.Links.Count;

        var error = Assert.Throws<EngineException>(() => _networks.Create(Network("ov", "overlay")));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.StartsWith("This node is not a swarm manager.", error.Message, StringComparison.Ordinal);
        Assert.Equal(linksBefore, _netlink.Links.Count);
    }

    [Fact]
    public void OverlayNetwork_InASwarm_IsSwarmScoped_AndASecondIngressIsRefused()
    {
        _swarm.Init(Request());

        var network = _networks.Create(Network("ov", "overlay") with { Attachable = true });
        var secondIngress = Assert.Throws<EngineException>(() => _networks.Create(Network("in2", "overlay") with { Ingress = true }));

        Assert.Equal("swarm", _networks.ScopeOf(network));
        Assert.True(network.Attachable);
        Assert.Equal(ErrorKind.Forbidden, secondIngress.Kind);
        Assert.Contains("ingress network ingress", secondIngress.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bridge", "swarm", "the bridge driver makes local-scoped networks, not swarm-scoped ones")]
    [InlineData("bridge", "planet", "invalid scope \"planet\": must be local, global or swarm")]
    public void Create_WithAScopeItsDriverDoesNotHave_IsA400(string driver, string scope, string message)
    {
        var error = Assert.Throws<EngineException>(() => _networks.Create(Network("n1", driver) with { Scope = scope }));

        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }

    [Fact]
    public void Create_WithItsDriversScope_IsAccepted() =>
        Assert.Equal("local", _networks.ScopeOf(_networks.Create(Network("n1", "bridge") with { Scope = "local" })));

    [Fact]
    public void Ingress_OnALocalDriver_IsRefused() =>
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<EngineException>(() => _networks.Create(Network("n1", "bridge") with { Ingress = true })).Kind);

    [Fact]
    public async Task Leave_Unforced_IsRefused_Forced_TakesTheSwarmNetworksAndKeepsTheLocalOnes()
    {
        _swarm.Init(Request());
        var local = _networks.Create(Network("mine", "bridge"));
        var overlay = _networks.Create(Network("ov", "overlay") with { Attachable = true });

        var unforced = await Assert.ThrowsAsync<EngineException>(() => _swarm.LeaveAsync(force: false, CancellationToken.None));
        Assert.Equal(SwarmService.LastManager, unforced.Message);
        Assert.True(_networks.TryGet(overlay.Id, out _));

        await _swarm.LeaveAsync(force: true, CancellationToken.None);

        Assert.False(_swarm.IsActive);
        Assert.Null(new SwarmMembership(DataRoot).Current);
        Assert.DoesNotContain(_networks.All(), n => n.Driver == "overlay");
        Assert.True(_networks.TryGet(local.Id, out _));
        Assert.DoesNotContain(overlay.Interface, _netlink.Links);
        Assert.Contains(local.Interface, _netlink.Links);
        var again = await Assert.ThrowsAsync<EngineException>(() => _swarm.LeaveAsync(force: true, CancellationToken.None));
        Assert.Equal((ErrorKind.Unavailable, SwarmService.NotInSwarm), (again.Kind, again.Message));
    }

    [Fact]
    public void Update_ChecksTheVersion_BumpsIt_AndRotatesOnlyTheTokenAskedFor()
    {
        var state = _swarm.Init(Request());

        var stale = Assert.Throws<EngineException>(() => _swarm.Update(state.Version - 1, "{}", true, false));
        var updated = _swarm.Update(state.Version, "{\"Name\":\"default\"}", rotateWorkerToken: true, rotateManagerToken: false);

        Assert.Equal("update out of sequence", stale.Message);
        Assert.Equal(state.Version + 1, updated.Version);
        Assert.NotEqual(state.WorkerToken, updated.WorkerToken);
        Assert.Equal(state.ManagerToken, updated.ManagerToken);
        Assert.Equal("{\"Name\":\"default\"}", new SwarmMembership(DataRoot).Current?.SpecJson);
    }

    [Fact]
    public void UpdateNode_DemotingTheLastManager_IsRefused_OtherChangesAreKept()
    {
        var state = _swarm.Init(Request());

        var demote = Assert.Throws<EngineException>(() => _swarm.UpdateNode(state.NodeId, state.NodeVersion, "{}", "worker"));
        var updated = _swarm.UpdateNode(state.NodeId, state.NodeVersion, "{\"Availability\":\"drain\"}", "manager");

        Assert.Equal("attempting to demote the last manager of the swarm", demote.Message);
        Assert.Equal(state.NodeVersion + 1, updated.NodeVersion);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _swarm.UpdateNode("nope", updated.NodeVersion, "{}", "manager")).Kind);
    }

    [Fact]
    public void Init_OnADaemonWhereSwarmModeIsUnavailable_SaysWhy()
    {
        var swarm = new SwarmService(_membership, _networks, _containers.Service, TimeProvider.System, "no swarm here: a cluster store is configured");

        var error = Assert.Throws<EngineException>(() => swarm.Init(Request()));

        Assert.Equal((ErrorKind.Unavailable, "no swarm here: a cluster store is configured"), (error.Kind, error.Message));
        Assert.False(_membership.IsActive);
    }

    private static SwarmInitParams Request() =>
        new("0.0.0.0:2377", "127.0.0.1:2377", "", 4789, ["10.0.0.0/8"], 24, "{}", "{\"Role\":\"manager\"}");

    private static NetworkCreateParams Network(string name, string driver) =>
        new(name, driver, false, false, false, [], new Dictionary<string, string>(), new Dictionary<string, string>());

    public async Task DisposeAsync()
    {
        _networks.Dispose();
        await _containers.DisposeAsync();
        _dir.Dispose();
    }
}
