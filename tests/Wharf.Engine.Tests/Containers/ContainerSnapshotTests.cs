using System.Collections.Concurrent;
using System.Text.Json;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Tests.Lifecycle;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>Readers (ps, inspect, filters…) get snapshots: published whole when lifecycle code commits a change to
/// the live record (with the container's gate held), and never changed afterwards.</summary>
public sealed class ContainerSnapshotTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Snapshot_TakenBeforeStartAndExit_IsNotChangedByThem()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var created = h.Create();
        var listed = Assert.Single(h.Service.List());

        await h.Service.StartAsync(created.Id, CancellationToken.None);
        var running = h.Service.Get(created.Id);
        var exited = h.Service.WaitAsync(created.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(created.Id, 3);
        await exited.WaitAsync(Patience);
        var after = h.Service.Get(created.Id);

        Assert.Same(created, listed); // nothing was committed in between: the same published snapshot
        Assert.Equal(ContainerStatus.Created, created.State.Status);
        Assert.False(created.State.Running);
        Assert.Null(created.State.StartedAt);
        Assert.Equal((ContainerStatus.Running, true, null), (running.State.Status, running.State.Running, running.State.FinishedAt));
        Assert.True(running.State.Pid > 0);
        Assert.Equal((ContainerStatus.Exited, false, 3, 0), (after.State.Status, after.State.Running, after.State.ExitCode, after.State.Pid));
        Assert.True(created.Version < running.Version && running.Version < after.Version);
    }

    [Fact]
    public async Task Snapshot_IsPublishedByEveryLifecycleOperation_AsWrittenToTheRecordFile()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var id = h.Create(name: "first").Id;
        var previous = h.Service.Get(id);
        AssertOnDisk(h, previous);

        async Task<ContainerSnapshot> After(Func<Task> operation)
        {
            await operation();
            var current = h.Service.Get(id);
            Assert.True(current.Version > previous.Version, "no snapshot was published");
            AssertOnDisk(h, current);
            previous = current;
            return current;
        }

        async Task Exit(Func<Task> cause)
        {
            var exited = h.Service.WaitAsync(id, WaitCondition.NotRunning, CancellationToken.None);
            await cause();
            await exited.WaitAsync(Patience);
        }

        Assert.True((await After(() => h.Service.StartAsync(id, CancellationToken.None))).State.Running);
        var killed = await After(() => Exit(() => h.Service.KillAsync(id, null, CancellationToken.None)));
        Assert.Equal((ContainerStatus.Exited, 137, true), (killed.State.Status, killed.State.ExitCode, killed.HasBeenManuallyStopped));
        Assert.Equal("second", (await After(() => h.Service.RenameAsync(id, "second", CancellationToken.None))).Name);
        var restarted = await After(() => h.Service.StartAsync(id, CancellationToken.None));
        Assert.Equal((true, false), (restarted.State.Running, restarted.HasBeenManuallyStopped));
        var stopped = await After(() => Exit(() => h.Service.StopAsync(id, 1, null, CancellationToken.None)));
        Assert.Equal((ContainerStatus.Exited, 143), (stopped.State.Status, stopped.State.ExitCode));

        await h.Service.RemoveAsync(id, force: false, CancellationToken.None);
        Assert.False(h.Service.TryGet(id, out _));
        Assert.Empty(h.Service.List());
        Assert.Equal(ContainerStatus.Exited, stopped.State.Status); // what a reader held stays as it was
    }

    [Fact]
    public async Task Readers_WhileTheContainerStartsAndExitsOverAndOver_NeverSeeAHalfMadeChange()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var id = h.Create().Id;
        h.Create(); // a neighbour, so that ps lists more than the one that changes
        var violations = new ConcurrentQueue<string>();
        var reads = 0L;
        using var stop = new CancellationTokenSource();

        void Check(ContainerSnapshot s)
        {
            if (Violation(s.State) is { } violation) violations.Enqueue($"v{s.Version}: {violation}");
            Interlocked.Increment(ref reads);
        }

        var psReader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                foreach (var s in h.Service.List()) Check(s);
        });
        var inspectReader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) Check(h.Service.Get(id));
        });
        for (var run = 0; run < 40; run++)
        {
            await h.Service.StartAsync(id, CancellationToken.None);
            var exited = h.Service.WaitAsync(id, WaitCondition.NotRunning, CancellationToken.None);
            shims.Exit(id, run % 3);
            await exited.WaitAsync(Patience);
        }
        await stop.CancelAsync();
        await Task.WhenAll(psReader, inspectReader).WaitAsync(Patience);

        Assert.Empty(violations);
        Assert.True(Interlocked.Read(ref reads) > 80, $"only {reads} reads");
        Assert.Equal(40, shims.Launches(id));
    }

    [Fact]
    public async Task Commit_WithoutTheContainersGate_IsRefusedAndPublishesNothing()
    {
        await using var h = await ContainerServiceHarness.CreateAsync();
        var c = h.Create();
        var entry = h.Service.Store.Find(c.Id);
        var before = File.ReadAllBytes(h.Service.PathsOf(c).RecordFile);

        entry.Record.State.Error = "changed without the gate";
        Assert.Throws<InvalidOperationException>(() => h.Service.Store.Persist(entry.Record));

        Assert.Same(c, h.Service.Get(c.Id));
        Assert.Equal(before, File.ReadAllBytes(h.Service.PathsOf(c).RecordFile));
    }

    [Fact]
    public async Task HealthReport_WaitsForTheGate_ThenIsPublishedWithoutAWrite()
    {
        var time = new ManualTimeProvider();
        var shims = new FakeShimClient(time);
        var probes = new FailingProbeRunner();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, time);
        h.UseService(probes: probes);
        var c = h.Create(config: cfg => cfg.Healthcheck = new HealthcheckSettings
        {
            Test = ["CMD", "check"],
            Interval = TimeSpan.FromSeconds(1).Ticks * 100,
            Timeout = TimeSpan.FromSeconds(1).Ticks * 100,
            Retries = 3,
        });
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var started = h.Service.Get(c.Id);
        Assert.Equal(HealthReport.Starting, started.State.Health?.Status);
        var onDisk = File.ReadAllBytes(h.Service.PathsOf(c).RecordFile);

        var entry = h.Service.Store.Find(c.Id);
        await entry.Gate.WaitAsync(); // as a stop or an update in progress would hold it
        try
        {
            await time.WaitForTimersAsync();
            time.Advance(TimeSpan.FromSeconds(1));
            await ContainerLifecycleTests.Eventually(() => probes.Calls == 1);
            await Task.Delay(100);
            Assert.Same(started, h.Service.Get(c.Id)); // the report waits for the gate
            Assert.Equal(0, entry.Record.State.Health?.FailingStreak);
        }
        finally
        {
            entry.Gate.Release();
        }

        await ContainerLifecycleTests.Eventually(() => h.Service.Get(c.Id).State.Health?.FailingStreak == 1);
        Assert.Equal(HealthReport.Starting, h.Service.Get(c.Id).State.Health?.Status); // 1 failure of 3: status unchanged ...
        Assert.Equal(onDisk, File.ReadAllBytes(h.Service.PathsOf(c).RecordFile)); // ... so published in memory only
        Assert.Equal(0, started.State.Health?.FailingStreak);
    }

    /// <summary>What no committed state may look like (Docker's State block invariants).</summary>
    private static string? Violation(ContainerState s)
    {
        if (s.Running && !s.Restarting)
        {
            if (s.Pid <= 0) return "running without a pid";
            if (s.Status is not (ContainerStatus.Running or ContainerStatus.Paused)) return $"running with status {s.Status}";
            if (s.StartedAt is null) return "running without StartedAt";
            if (s.FinishedAt is not null) return "running with FinishedAt set";
        }
        if (!s.Running)
        {
            if (s.Pid != 0) return $"not running with pid {s.Pid}";
            if (s.Status is not (ContainerStatus.Created or ContainerStatus.Exited)) return $"not running with status {s.Status}";
            if (s.Status == ContainerStatus.Exited && (s.FinishedAt is null || s.FinishedAt < s.StartedAt)) return "exited without a FinishedAt after StartedAt";
        }
        return null;
    }

    private static void AssertOnDisk(ContainerServiceHarness h, ContainerSnapshot s)
    {
        var file = JsonSerializer.Deserialize(File.ReadAllBytes(h.Service.PathsOf(s).RecordFile), EngineJsonContext.Default.ContainerRecord)!;
        Assert.Equal((s.Name, s.RestartCount, s.HasBeenStartedBefore), (file.Name, file.RestartCount, file.HasBeenStartedBefore));
        Assert.Equal((s.State.Status, s.State.Running, s.State.Pid, s.State.ExitCode, s.State.Error),
            (file.State.Status, file.State.Running, file.State.Pid, file.State.ExitCode, file.State.Error));
        Assert.Equal((s.State.StartedAt, s.State.FinishedAt), (file.State.StartedAt, file.State.FinishedAt));
    }

    private sealed class FailingProbeRunner : IContainerProbeRunner
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ProbeOutcome(1, "not yet\n"));
        }
    }
}
