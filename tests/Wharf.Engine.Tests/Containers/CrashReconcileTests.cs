using Wharf.Core.Shim;
using Wharf.Engine.Containers;
using Wharf.Engine.Networks;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>What a daemon killed at any point leaves behind, and what the next daemon makes of it (issue 17): every
/// leftover that belongs to no running container goes, and a container's state is what its shim says.</summary>
public sealed class CrashReconcileTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _dir = new("wharf-reconcile");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Restore_ShimLaunchedButNeverStarted_IsSentAwayAndTheNextStartLaunchesOneShim()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        // The daemon died between the shim's launch and the start request: the record still says "created".
        shims.LeaveUnstartedShim(c.Id, h.Service.PathsOf(c).StateDir);
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);

        Assert.Empty(shims.LiveShims());
        Assert.Contains(ShimOps.Abandon, shims.OpsFor(c.Id));
        await restarted.StartAsync(c.Id, CancellationToken.None).WaitAsync(Patience);
        Assert.Equal(1, shims.Launches(c.Id));
        Assert.Equal([c.Id], shims.LiveShims());
        Assert.Equal(ContainerStatus.Running, restarted.Get(c.Id).State.Status);
    }

    [Fact]
    public async Task Start_PreviousShimNeverStarted_IsSentAwayInsteadOfWaitedFor()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        shims.LeaveUnstartedShim(c.Id, h.Service.PathsOf(c).StateDir);

        await h.Service.StartAsync(c.Id, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal([c.Id], shims.LiveShims());
        Assert.True(shims.IsRunning(c.Id));
    }

    [Fact]
    public async Task Start_RootfsLeftMountedByAStartCutShort_IsUnmountedBeforeItIsMountedAgain()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        var rootfs = h.Service.PathsOf(c).RootfsMount;
        shims.LeaveUnstartedShim(c.Id, h.Service.PathsOf(c).StateDir);
        Directory.CreateDirectory(rootfs); // the start that was cut short made it, as a real mount needs it
        h.Mounts.Mount(new Wharf.Core.Mount("overlay", "overlay", rootfs, []));

        await h.Service.StartAsync(c.Id, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal([rootfs], h.Mounts.Unmounts); // once, before the new mount: overlays never stack
        Assert.Equal(2, h.Mounts.Mounts.Count(m => m.Target == rootfs));
    }

    [Fact]
    public async Task Start_FirstOfAContainer_DoesNotReadTheMountTable()
    {
        // The mount table holds every running container's mounts: reading it at each first start made starting N
        // containers O(N²) (a fifth of wharfd's CPU at 300 running).
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        var rootfs = h.Service.PathsOf(c).RootfsMount;

        await h.Service.StartAsync(c.Id, CancellationToken.None).WaitAsync(Patience);

        Assert.DoesNotContain(rootfs, h.Mounts.MountQueries);
        Assert.True(shims.IsRunning(c.Id));
        Assert.Equal(1, h.Mounts.Mounts.Count(m => m.Target == rootfs));
    }

    [Fact]
    public async Task Remove_ContainerWithAShimNeverStarted_SendsTheShimAway()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        shims.LeaveUnstartedShim(c.Id, h.Service.PathsOf(c).StateDir);

        await h.Service.RemoveAsync(c.Id, force: true, CancellationToken.None);

        Assert.Empty(shims.LiveShims());
    }

    [Fact]
    public async Task RemoveForced_WhileAStartIsInProgress_KillsTheStartedContainerAndRemovesIt()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        var hold = new TaskCompletionSource();
        shims.HoldStart = hold.Task;
        var start = h.Service.StartAsync(c.Id, CancellationToken.None);
        var remove = h.Service.RemoveAsync(c.Id, force: true, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(remove.IsCompleted); // waits for the start

        hold.SetResult();
        await start.WaitAsync(Patience);
        await remove.WaitAsync(Patience); // not "container is running"

        Assert.DoesNotContain(h.Service.List(), r => r.Id == c.Id);
        Assert.False(shims.IsRunning(c.Id));
        Assert.Empty(shims.LiveShims());
    }

    [Fact]
    public async Task Restore_ShimRunsTheContainerButTheRecordSaysCreated_TheContainerIsRunningAndItsExitRecorded()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        // The shim answered the start; the daemon died before it wrote "running".
        shims.Adopt(c.Id, h.Service.PathsOf(c).StateDir);
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);

        var state = restarted.Get(c.Id).State;
        Assert.Equal(ContainerStatus.Running, state.Status);
        Assert.True(state.Pid > 0);
        var wait = restarted.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 6);
        Assert.Equal(6, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(ContainerStatus.Exited, restarted.Get(c.Id).State.Status);
    }

    [Fact]
    public async Task Restore_ShimsAndRootfsMountOfContainersWithoutRecord_AreRemoved()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var containers = Path.Combine(h.Options.ExecRoot, "containers");
        var unstarted = new string('a', 64);
        var running = new string('b', 64);
        var mountedOnly = new string('c', 64);
        shims.LeaveUnstartedShim(unstarted, Directory.CreateDirectory(Path.Combine(containers, unstarted)).FullName);
        shims.Adopt(running, Directory.CreateDirectory(Path.Combine(containers, running)).FullName);
        var rootfs = Path.Combine(containers, mountedOnly, "rootfs");
        h.Mounts.Mount(new Wharf.Core.Mount("overlay", "overlay", rootfs, []));
        Directory.CreateDirectory(rootfs);
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);

        Assert.Empty(shims.LiveShims());
        Assert.DoesNotContain(rootfs, h.Mounts.CurrentlyMounted);
        Assert.False(Directory.Exists(Path.Combine(containers, mountedOnly)));
        Assert.False(Directory.Exists(Path.Combine(containers, unstarted)));
    }

    [Fact]
    public async Task Restore_EndpointsAndNamespaceOfContainersThatDoNotRun_AreReleased()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var namespaces = new RecordingNamespaceOps();
        var options = new NetworkOptions { DataRoot = _dir.Combine("d"), ExecRoot = _dir.Combine("e"), DefaultBridge = "wrec0", HostResolvConf = _dir.Combine("no-resolv.conf") };
        var networks = new NetworkService(options, new RecordingNetlink(), namespaces, null, null, TimeProvider.System);
        networks.Initialize();
        networks.Create(new("n", "bridge", false, false, false, [new IpamPool { Subnet = "10.36.0.0/24" }], new Dictionary<string, string>(), new Dictionary<string, string>()));
        h.UseService(networks: networks);
        var gone = h.Create("gone", host: s => s.NetworkMode = "n");
        var keeps = h.Create("keeps", host: s => s.NetworkMode = "n");
        await h.Service.StartAsync(gone.Id, CancellationToken.None);
        await h.Service.StartAsync(keeps.Id, CancellationToken.None);
        networks.FlushBackgroundWork();
        h.Service.Dispose();
        networks.Dispose();
        // Killed inside rm: the record went, the endpoint did not; and a namespace pinned for a start that never
        // registered its container.
        Directory.Delete(h.Service.PathsOf(gone).DataDir, recursive: true);
        shims.Die(gone.Id);
        var neverRegistered = new string('d', 64);
        var pin = networks.NamespacePath(neverRegistered);
        Directory.CreateDirectory(Path.GetDirectoryName(pin)!);
        File.WriteAllText(pin, "");

        var removedBefore = namespaces.Removed.Count; // each start clears a stale pin first
        using var networksAfter = new NetworkService(options, new RecordingNetlink(), namespaces, null, null, TimeProvider.System);
        networksAfter.Initialize();
        using var restarted = h.NewService(networksAfter);
        await restarted.RestoreAsync(CancellationToken.None);
        networksAfter.FlushBackgroundWork();

        Assert.Null(networksAfter.EndpointOf("n", gone.Id));
        Assert.NotNull(networksAfter.EndpointOf("n", keeps.Id));
        var removedAtRestore = namespaces.Removed.Skip(removedBefore).ToList();
        Assert.Contains(pin, removedAtRestore);
        Assert.Contains(networksAfter.NamespacePath(gone.Id), removedAtRestore);
        Assert.DoesNotContain(networksAfter.NamespacePath(keeps.Id), removedAtRestore);
        await restarted.RemoveAsync(keeps.Id, force: true, CancellationToken.None);
        networksAfter.Remove("n"); // no "has active endpoints"
    }

    [Fact]
    public async Task Restore_AutoRemoveContainerThatDoesNotRun_IsRemoved()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(host: s => s.AutoRemove = true);
        shims.LeaveUnstartedShim(c.Id, h.Service.PathsOf(c).StateDir); // `docker run --rm` cut short by the crash
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);

        Assert.DoesNotContain(restarted.List(), r => r.Id == c.Id);
        Assert.Empty(shims.LiveShims());
    }
}
