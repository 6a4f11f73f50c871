using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>Container lifecycle decisions, on fakes: no runc, no mounts, no processes.</summary>
public sealed class ContainerServiceTests
{
    [Fact]
    public async Task Create_MergesImageDefaults_AndWritesEtcFiles()
    {
        await using var h = await ContainerServiceHarness.CreateAsync("ENV A=image", "ENV B=image", "CMD [\"sh\", \"-c\", \"echo\"]", "WORKDIR /srv", "LABEL from=image");
        var record = h.Create(cmd: [], config: c => { c.Cmd = null; c.Env = ["B=user", "C=user"]; c.Labels = new() { ["mine"] = "1" }; });

        Assert.Equal("sh", record.Path);
        Assert.Equal(["-c", "echo"], record.Args);
        Assert.Contains("A=image", record.Config.Env);
        Assert.Contains("B=user", record.Config.Env);
        Assert.DoesNotContain("B=image", record.Config.Env);
        Assert.Equal("/srv", record.Config.WorkingDir);
        Assert.Equal("image", record.Config.Labels["from"]);
        Assert.Equal(record.Id[..12], record.Config.Hostname);
        Assert.Equal(ContainerStatus.Created, record.State.Status);

        var paths = h.Service.PathsOf(record);
        Assert.Equal(record.Id[..12] + "\n", File.ReadAllText(paths.HostnameFile));
        Assert.Contains("localhost", File.ReadAllText(paths.HostsFile));
        var resolv = File.ReadAllText(paths.ResolvConfFile);
        Assert.Contains("nameserver 10.0.0.2", resolv);
        Assert.DoesNotContain("127.0.0.53", resolv); // loopback resolvers are unreachable from the container
        Assert.True(File.Exists(paths.RecordFile));
    }

    [Fact]
    public async Task Create_UserEntrypoint_ResetsImageCmd()
    {
        await using var h = await ContainerServiceHarness.CreateAsync("CMD [\"sh\"]");
        var record = h.Create(cmd: [], config: c => { c.Cmd = null; c.Entrypoint = ["echo"]; });
        Assert.Equal("echo", record.Path);
        Assert.Empty(record.Args);
    }

    [Fact]
    public async Task Create_NoCommandAnywhere_IsInvalid()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Create(config: c => c.Cmd = null));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("No command specified", e.Message);
    }

    [Fact]
    public async Task Create_NoCgroupnsMode_TakesTheDaemonDefault_AndKeepsAnExplicitOne()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        using var service = ContainerServiceHarness.Compose(h.Options with { DefaultCgroupnsMode = "private" }, h.Images, h.Snapshots, h.Mounts, h.Shims, h.Volumes, h.Events, h.Time);
        var image = h.Create().ImageId;

        var defaulted = service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = image, Cmd = ["true"] }, new HostSettings()));
        var explicitHost = service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = image, Cmd = ["true"] }, new HostSettings { CgroupnsMode = "host" }));

        Assert.Equal("private", defaulted.Host.CgroupnsMode); // stored at create, as Docker shows it in inspect
        Assert.Equal("host", explicitHost.Host.CgroupnsMode);
    }

    [Fact]
    public async Task Update_BlkioWeightOnAHostWithoutWeights_IsDiscardedWithDockersWarning()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var throttlesOnly = new Wharf.Engine.Containers.Resources.BlkioSupport(Weight: false, WeightDevice: false, true, true, true, true);
        using var service = ContainerServiceHarness.Compose(h.Options with { Blkio = throttlesOnly }, h.Images, h.Snapshots, h.Mounts, h.Shims, h.Volumes, h.Events, h.Time);
        var image = h.Create().ImageId;
        var c = service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = image, Cmd = ["true"] }, new HostSettings()));

        var warnings = await service.UpdateAsync(c.Id, new Wharf.Engine.Containers.Resources.ContainerUpdate { BlkioWeight = 300, CpuShares = 512 }, CancellationToken.None);

        Assert.Equal(["Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."], warnings);
        Assert.Equal((0, 512L), (service.Get(c.Id).Host.BlkioWeight, service.Get(c.Id).Host.CpuShares));
    }

    [Fact]
    public async Task Create_DuplicateName_IsConflictInDockersWords()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var first = h.Create(name: "/web");
        Assert.Equal("web", first.Name);
        var e = Assert.Throws<EngineException>(() => h.Create(name: "web"));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"Conflict. The container name \"/web\" is already in use by container \"{first.Id}\". You have to remove (or rename) that container to be able to reuse that name.", e.Message);
        Assert.Single(h.Service.List());
    }

    [Theory]
    [InlineData("sometimes", 0, 0, 0, "invalid restart policy: unknown policy 'sometimes'")]
    [InlineData("always", 3, 0, 0, "maximum retry count can only be used with 'on-failure'")]
    [InlineData("no", 0, 1024, 0, "Minimum memory limit allowed is 6MB")]
    [InlineData("no", 0, 0, -1, "Range of CPUs is from 0.01 to")]
    public async Task Create_InvalidHostSettings_AreRejectedAndLeaveNothing(string policy, int retries, long memory, long nanoCpus, string wording)
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Create(host: x => { x.RestartPolicy = policy; x.RestartMaxRetries = retries; x.Memory = memory; x.NanoCpus = nanoCpus; }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(wording, e.Message);
        Assert.Empty(h.Service.List());
        Assert.Empty(Directory.GetDirectories(Path.Combine(h.Options.DataRoot, "containers")));
    }

    [Fact]
    public async Task Create_UnknownImage_IsNotFound()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var e = Assert.Throws<EngineException>(() => h.Service.Create(new ContainerCreateParams(null, new ContainerConfig { Image = "nothere:1", Cmd = ["x"] }, new HostSettings())));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.StartsWith("No such image: nothere:1", e.Message);
    }

    [Fact]
    public async Task Get_ByNameIdAndPrefix_AndUnknownIsNoSuchContainer()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create(name: "finder");
        Assert.Same(record, h.Service.Get("finder"));
        Assert.Same(record, h.Service.Get("/finder"));
        Assert.Same(record, h.Service.Get(record.Id));
        Assert.Same(record, h.Service.Get(record.Id[..5]));
        var e = Assert.Throws<EngineException>(() => h.Service.Get("nobody-here"));
        Assert.Equal("No such container: nobody-here", e.Message);
    }

    [Fact]
    public async Task Start_ShimNeverComesUp_LeavesNoMountAndRecordsError()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create(name: "doomed");
        await Assert.ThrowsAnyAsync<Exception>(() => h.Service.StartAsync("doomed", CancellationToken.None));

        Assert.Single(h.Spawner.Spawned);
        Assert.Single(h.Mounts.Mounts); // the overlay rootfs was mounted ...
        Assert.Empty(h.Mounts.CurrentlyMounted); // ... and taken down again
        var after = h.Service.Get("doomed"); // a snapshot: the one taken before the start does not change
        Assert.Equal("", record.State.Error);
        Assert.Equal(ContainerStatus.Created, after.State.Status);
        Assert.False(after.State.Running);
        Assert.Contains("did not become ready", after.State.Error);
    }

    [Fact]
    public async Task Start_MountFails_ContainerStaysCreated()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        h.Mounts.FailNextMounts = 1;
        await Assert.ThrowsAsync<IOException>(() => h.Service.StartAsync(record.Id, CancellationToken.None));
        Assert.Empty(h.Spawner.Spawned);
        Assert.Equal(ContainerStatus.Created, record.State.Status);
    }

    [Fact]
    public async Task Start_FailedAutoRemoveContainer_IsRemovedAndRemovedWaitCompletes()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create(host: x => x.AutoRemove = true);
        var removed = h.Service.WaitAsync(record.Id, WaitCondition.Removed, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => h.Service.StartAsync(record.Id, CancellationToken.None));
        await removed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(h.Service.TryGet(record.Id, out _));
    }

    [Fact]
    public async Task StopAndKill_NotRunning_AnswerAsDocker()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create(name: "idle");
        var stop = await Assert.ThrowsAsync<EngineException>(() => h.Service.StopAsync("idle", null, null, CancellationToken.None));
        Assert.Equal(ErrorKind.NotModified, stop.Kind);
        var kill = await Assert.ThrowsAsync<EngineException>(() => h.Service.KillAsync("idle", null, CancellationToken.None));
        Assert.Equal(ErrorKind.Conflict, kill.Kind);
        Assert.Equal($"Cannot kill container: idle: Container {record.Id} is not running", kill.Message);
        var badSignal = await Assert.ThrowsAsync<EngineException>(() => h.Service.KillAsync("idle", "NOPE", CancellationToken.None));
        Assert.Equal("Invalid signal: NOPE", badSignal.Message);
    }

    [Fact]
    public async Task Wait_NotRunning_AnswersAtOnceWithLastExitCode()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create();
        var result = await h.Service.WaitAsync(record.Id, WaitCondition.NotRunning, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(0, result.StatusCode);
        var next = h.Service.WaitAsync(record.Id, WaitCondition.NextExit, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(next.IsCompleted); // next-exit waits for a run that has not happened yet
    }

    [Fact]
    public async Task RenameAndRemove_UpdateNamesEventsAndDisk()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        using var events = h.Events.Subscribe(0);
        var record = h.Create(name: "old");
        await h.Service.RenameAsync("old", "new", CancellationToken.None);
        Assert.Equal("new", h.Service.Get("new").Name);
        Assert.False(h.Service.TryGet("old", out _));
        var other = h.Create(name: "old"); // the old name is free again
        Assert.NotEqual(record.Id, other.Id);

        var removedWait = h.Service.WaitAsync("new", WaitCondition.Removed, CancellationToken.None);
        await h.Service.RemoveAsync("new", force: false, CancellationToken.None);
        await removedWait.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.False(Directory.Exists(h.Service.PathsOf(record).DataDir));

        var actions = new List<string>();
        while (events.Live.TryRead(out var e))
        {
            if (e.ActorId == record.Id) actions.Add(e.Action);
        }
        Assert.Equal(["create", "rename", "destroy"], actions);
    }

    [Fact]
    public async Task Restore_ReloadsRecordsFromDisk()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var record = h.Create(name: "persisted", config: c => c.Labels = new() { ["k"] = "v" });
        using var reopened = h.NewService();
        await reopened.RestoreAsync(CancellationToken.None);
        var loaded = reopened.Get("persisted");
        Assert.Equal(record.Id, loaded.Id);
        Assert.Equal("v", loaded.Config.Labels["k"]);
        Assert.Equal(ContainerStatus.Created, loaded.State.Status);
    }
}
