using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Resources;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>pause/unpause/update/top on containers that are not running: Docker's 409 wording, and an update
/// that is only persisted (the harness has no runtime control, so any runc call would fail).</summary>
public sealed class ContainerResourcesServiceTests
{
    [Fact]
    public async Task PauseUnpauseTop_NotRunning_ConflictInDockersWords()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create();

        var pause = await Assert.ThrowsAsync<EngineException>(() => h.Service.PauseAsync(c.Id, CancellationToken.None));
        var unpause = await Assert.ThrowsAsync<EngineException>(() => h.Service.UnpauseAsync(c.Id, CancellationToken.None));
        var top = await Assert.ThrowsAsync<EngineException>(() => h.Service.TopAsync(c.Id, null, CancellationToken.None));

        Assert.Equal((ErrorKind.Conflict, $"Container {c.Id} is not running"), (pause.Kind, pause.Message));
        Assert.Equal((ErrorKind.Conflict, $"Container {c.Id} is not paused"), (unpause.Kind, unpause.Message));
        Assert.Equal((ErrorKind.Conflict, $"Container {c.Id} is not running"), (top.Kind, top.Message));
        Assert.Null(h.Service.SampleStats(c));
    }

    [Fact]
    public async Task Pause_ProcessEndedButExitNotRecordedYet_IsNotRunningConflict()
    {
        // docker commit (pause on by default) of a container whose process just ended: runc answers "container not
        // running" before the exit is recorded. That is Docker's 409, which commit takes as "nothing to pause".
        var shims = new Wharf.TestKit.FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        using var service = ContainerServiceHarness.Compose(h.Options, h.Images, h.Snapshots, h.Mounts, shims, h.Volumes, h.Events, h.Time,
            runtime: new EndedProcessRuntime());
        var c = service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = "busybox", Cmd = ["true"] }, new HostSettings()));
        await service.StartAsync(c.Id, CancellationToken.None);

        var pause = await Assert.ThrowsAsync<EngineException>(() => service.PauseAsync(c.Id, CancellationToken.None));

        Assert.Equal((ErrorKind.Conflict, $"Container {c.Id} is not running"), (pause.Kind, pause.Message));
        Assert.False(service.Get(c.Id).State.Paused);
    }

    private sealed class EndedProcessRuntime : Wharf.Core.Host.IRuntimeControl
    {
        public Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
            throw new IOException("runc pause: container not running");

        public Task ResumeAsync(string containerId, CancellationToken cancellationToken) => throw new IOException("runc resume: container not running");

        public Task UpdateAsync(string containerId, Wharf.Core.Oci.SpecResources resources, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DeleteAsync(string containerId, CancellationToken cancellationToken) => Task.CompletedTask;

        public IReadOnlyList<string> ListContainers() => [];

        public Task<string> ProcessTableAsync(IReadOnlyList<string> psArgs, IReadOnlyList<int> pids, CancellationToken cancellationToken) => Task.FromResult("");
    }

    [Fact]
    public async Task Update_StoppedContainer_PersistsWithoutRuntime()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create(host: s => s.Memory = 32 << 20);
        Assert.Equal(64L << 20, c.Host.MemorySwap); // Docker's default: twice the memory

        var warnings = await h.Service.UpdateAsync(c.Id, new ContainerUpdate { CpuShares = 512, PidsLimit = 20, Memory = 48 << 20 }, CancellationToken.None);

        Assert.Empty(warnings);
        var stored = h.Service.Get(c.Id);
        Assert.Equal((512L, 20L, 48L << 20), (stored.Host.CpuShares, stored.Host.PidsLimit!.Value, stored.Host.Memory));
        var record = File.ReadAllText(h.Service.PathsOf(stored).RecordFile);
        Assert.Contains("\"CpuShares\":512", record);
    }

    [Fact]
    public async Task Create_UlimitAboveHostHardLimit_RejectedNamingIt()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Create(host: s => s.Ulimits = [new UlimitSetting { Name = "bogus", Soft = 1, Hard = 1 }]));
        Assert.Equal((ErrorKind.InvalidArgument, "invalid ulimit type: bogus"), (e.Kind, e.Message));
    }
}
