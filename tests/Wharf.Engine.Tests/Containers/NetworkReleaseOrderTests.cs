using Wharf.Core.Host;
using Wharf.Engine.Containers;
using Wharf.Engine.Networks;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>`docker rm -f`, `docker wait` and the end of a run answer only after the network's kernel teardown (queued
/// so that many releases share it) has run: the namespace unpinned and the host end of the veth deleted — the veth
/// first, so that it goes at once rather than with the kernel's deferred namespace cleanup. The unpin is held back
/// here (a slow kernel) to see that the answers wait for it.</summary>
public sealed class NetworkReleaseOrderTests : IDisposable
{
    private static readonly TimeSpan StillWaiting = TimeSpan.FromMilliseconds(300);
    private readonly TempDirectory _dir = new("wharf-release-order");
    private readonly RecordingNetlink _netlink = new();
    private readonly GatedNamespaceOps _namespaces;

    public NetworkReleaseOrderTests() => _namespaces = new GatedNamespaceOps(_netlink);

    /// <summary>Namespace ops whose unpin waits until the test opens the gate, and which notes the host links present
    /// at each unpin.</summary>
    private sealed class GatedNamespaceOps(RecordingNetlink netlink) : INamespaceOps
    {
        private readonly Lock _gate = new();
        public ManualResetEventSlim Open { get; } = new(initialState: true);
        public HashSet<string> Pinned { get; } = new(StringComparer.Ordinal);
        public List<(string Path, HashSet<string> LinksPresent)> Unpins { get; } = [];

        public void CreateNetworkNamespace(string path)
        {
            lock (_gate) Pinned.Add(path);
        }

        /// <summary>Unpins that have begun waiting at the closed gate.</summary>
        public int Waiting => Volatile.Read(ref _waiting);
        private int _waiting;

        public void RemoveNetworkNamespace(string path)
        {
            if (!Open.IsSet) Interlocked.Increment(ref _waiting);
            Assert.True(Open.Wait(TimeSpan.FromSeconds(30)), "the test never opened the gate");
            lock (_gate)
            {
                Unpins.Add((path, [.. netlink.Links]));
                Pinned.Remove(path);
            }
        }

        public bool IsPinned(string path)
        {
            lock (_gate) return Pinned.Contains(path);
        }
    }

    private async Task<(ContainerServiceHarness H, FakeShimClient Shims, NetworkService Networks)> HarnessAsync()
    {
        var shims = new FakeShimClient();
        var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var options = new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wrel0", HostResolvConf = _dir.Combine("no-resolv.conf") };
        var networks = new NetworkService(options, _netlink, _namespaces, null, null, TimeProvider.System);
        networks.Initialize();
        networks.Create(new("n", "bridge", false, false, false, [new IpamPool { Subnet = "10.37.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        h.UseService(networks: networks);
        return (h, shims, networks);
    }

    [Fact]
    public async Task RemoveForce_AnswersOnlyAfterTheVethIsDeletedAndTheNamespaceUnpinned()
    {
        var (h, _, networks) = await HarnessAsync();
        await using var harness = h;
        using var networking = networks;
        var c = h.Create("web", host: s => s.NetworkMode = "n");
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        networks.FlushBackgroundWork();
        var veth = networks.EndpointOf("n", c.Id)!.HostInterface;
        var pin = networks.NamespacePath(c.Id);
        Assert.Contains(veth, _netlink.Links);
        Assert.True(_namespaces.IsPinned(pin));

        _namespaces.Open.Reset();
        var removal = h.Service.RemoveAsync(c.Id, force: true, CancellationToken.None);
        await Task.Delay(StillWaiting);
        Assert.False(removal.IsCompleted, "rm -f answered while the namespace was still pinned");
        _namespaces.Open.Set();
        await removal;

        // No flush: the answer itself means the teardown is done.
        Assert.False(_namespaces.IsPinned(pin));
        Assert.DoesNotContain(veth, _netlink.Links);
        Assert.DoesNotContain(veth, _namespaces.Unpins.Last(u => u.Path == pin).LinksPresent); // the first unpin clears a stale pin at start
        Assert.Null(networks.EndpointOf("n", c.Id));
    }

    [Fact]
    public async Task Exit_WaitAnswersOnlyAfterTheNetworkTeardown_AndTheContainerStaysExited()
    {
        var (h, shims, networks) = await HarnessAsync();
        await using var harness = h;
        using var networking = networks;
        var c = h.Create("job", host: s => s.NetworkMode = "n");
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        networks.FlushBackgroundWork();
        var veth = networks.EndpointOf("n", c.Id)!.HostInterface;
        var pin = networks.NamespacePath(c.Id);

        _namespaces.Open.Reset();
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 3);
        await Task.Delay(StillWaiting);
        Assert.False(wait.IsCompleted, "docker wait answered while the exited container still held its namespace");
        _namespaces.Open.Set();
        Assert.Equal(3, (await wait).StatusCode);

        Assert.False(_namespaces.IsPinned(pin));
        Assert.DoesNotContain(veth, _netlink.Links);
        Assert.False(h.Service.Get(c.Id).State.Running);
        // A new run gets a namespace and a veth again.
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        Assert.True(_namespaces.IsPinned(pin));
        Assert.NotNull(networks.EndpointOf("n", c.Id));
        await h.Service.RemoveAsync(c.Id, force: true, CancellationToken.None);
        Assert.False(_namespaces.IsPinned(pin));
    }

    [Fact]
    public async Task WhenTornDown_CompletesAfterTheQueuedTeardownOfThatContainer()
    {
        var (h, _, networks) = await HarnessAsync();
        await using var harness = h;
        using var networking = networks;
        var id = new string('f', 64);
        var pin = networks.CreateSandbox(id);
        networks.Connect("n", id, "x", "", new EndpointRequest(), pin, defaultRoute: true);
        Assert.True(networks.WhenTornDown(id).IsCompleted); // nothing queued yet

        _namespaces.Open.Reset();
        networks.ReleaseContainer(id);
        var torn = networks.WhenTornDown(id);
        await Task.Delay(StillWaiting);
        Assert.False(torn.IsCompleted);
        Assert.True(_namespaces.IsPinned(pin));
        _namespaces.Open.Set();
        await torn.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(_namespaces.IsPinned(pin));
        Assert.True(networks.WhenTornDown(id).IsCompleted);
    }

    [Fact]
    public async Task PortRuleDeletions_QueuedTogether_ShareOneIptablesRestore()
    {
        var firewall = new RecordingFirewall();
        using var networks = PublishingNetwork("p", "10.38.0.0/24", 1, firewall, out var ids, 3);
        Assert.Equal(3, firewall.Rules("nat").Count(r => r.Contains("--to-destination 10.38.0.", StringComparison.Ordinal)));

        // The first release's unpin holds the queue (a slow kernel) while two more containers go.
        await HoldTheQueueWithTheReleaseOfAsync(networks, ids[0]);
        Assert.Equal(1, _namespaces.Waiting);
        var before = firewall.Batches.Count;
        networks.ReleaseContainer(ids[1]);
        networks.ReleaseContainer(ids[2]);
        _namespaces.Open.Set();
        await networks.WhenTornDown(ids[2]).WaitAsync(TimeSpan.FromSeconds(10));

        var deletion = Assert.Single(firewall.Batches.Skip(before));
        Assert.Contains("--to-destination 10.38.0.3:80", deletion);
        Assert.Contains("--to-destination 10.38.0.4:80", deletion);
        Assert.DoesNotContain(firewall.Rules("nat"), r => r.Contains("--to-destination 10.38.0.", StringComparison.Ordinal));
        Assert.DoesNotContain(firewall.Rules("filter"), r => r.Contains("10.38.0.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disconnect_AnswersOnlyAfterItsPortRulesAreDeleted()
    {
        var firewall = new RecordingFirewall();
        using var networks = PublishingNetwork("q", "10.39.0.0/24", 2, firewall, out var ids, 2);
        Assert.Contains(firewall.Rules("nat"), r => r.Contains("--to-destination 10.39.0.3:80", StringComparison.Ordinal));

        // Another container's teardown holds the queue (a slow kernel) when the second one is disconnected.
        await HoldTheQueueWithTheReleaseOfAsync(networks, ids[0]);
        var disconnect = Task.Run(() => networks.Disconnect("q", ids[1], networks.NamespacePath(ids[1]), mustExist: true));
        await Task.Delay(StillWaiting);
        Assert.False(disconnect.IsCompleted, "network disconnect answered while its port rules were still queued");
        _namespaces.Open.Set();
        await disconnect.WaitAsync(TimeSpan.FromSeconds(10));

        // No flush: the answer itself means the rules are gone.
        Assert.DoesNotContain(firewall.Rules("nat"), r => r.Contains("--to-destination 10.39.0.3:80", StringComparison.Ordinal));
        Assert.Null(networks.EndpointOf("q", ids[1]));
    }

    /// <summary>A network <paramref name="name"/> with <paramref name="count"/> containers ('a'…, addresses .2 up),
    /// each publishing port 80, their rules in <paramref name="firewall"/>.</summary>
    private NetworkService PublishingNetwork(string name, string subnet, int tag, RecordingFirewall firewall, out List<string> ids, int count)
    {
        var options = new NetworkOptions { DataRoot = _dir.Combine("d" + tag), ExecRoot = _dir.Combine("e" + tag), DefaultBridge = "wrel" + tag, ChainPrefix = "wr" + tag, HostResolvConf = _dir.Combine("no-resolv.conf") };
        var networks = new NetworkService(options, _netlink, _namespaces, firewall, null, TimeProvider.System);
        networks.Initialize();
        networks.Create(new(name, "bridge", false, false, false, [new IpamPool { Subnet = subnet }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        ids = Enumerable.Range(0, count).Select(i => new string((char)('a' + i), 64)).ToList();
        foreach (var id in ids)
        {
            networks.Connect(name, id, id[..12], "", new EndpointRequest(), networks.CreateSandbox(id), defaultRoute: true);
            networks.PublishPorts(name, id, new Dictionary<string, List<PortMapping>> { ["80/tcp"] = [new PortMapping()] });
        }
        networks.FlushBackgroundWork();
        return networks;
    }

    /// <summary>Closes the unpin gate and releases <paramref name="containerId"/>: its unpin then holds the queue (a
    /// slow kernel) until the test opens the gate.</summary>
    private async Task HoldTheQueueWithTheReleaseOfAsync(NetworkService networks, string containerId)
    {
        _namespaces.Open.Reset();
        networks.ReleaseContainer(containerId);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_namespaces.Waiting == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    public void Dispose()
    {
        _namespaces.Open.Set();
        _dir.Dispose();
    }
}
