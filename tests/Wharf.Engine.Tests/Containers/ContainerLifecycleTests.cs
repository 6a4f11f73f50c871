using Microsoft.Extensions.Logging;
using Wharf.Core.Errors;
using Wharf.Core.Shim;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Tests.Lifecycle;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>start → exit → restart → health → wait, driven through a fake shim: no processes, no runc.</summary>
public sealed class ContainerLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_ThenExit_RecordsExitCodeAndCompletesWaits()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        var nextExit = h.Service.WaitAsync(c.Id, WaitCondition.NextExit, CancellationToken.None);

        await h.Service.StartAsync(c.Id, CancellationToken.None);
        Assert.True(h.Service.Get(c.Id).State.Running);
        Assert.False(nextExit.IsCompleted);
        shims.Exit(c.Id, 3);

        Assert.Equal(3, (await nextExit.WaitAsync(Patience)).StatusCode);
        var state = h.Service.Get(c.Id).State;
        Assert.Equal(ContainerStatus.Exited, state.Status);
        Assert.False(state.Running);
        Assert.Equal(3, state.ExitCode);
        Assert.Equal(["launch", ShimOps.Start, ShimOps.Wait], shims.OpsFor(c.Id));
        Assert.Empty(h.Mounts.CurrentlyMounted);
    }

    [Fact]
    public async Task Start_RuncFails_StaysCreatedWithDockerExitCodeAndNothingMounted()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(cmd: ["nope"]);
        shims.FailNext(ShimOps.Start, 1, "exec: \"nope\": executable file not found in $PATH");

        var e = await Assert.ThrowsAsync<EngineException>(() => h.Service.StartAsync(c.Id, CancellationToken.None));

        Assert.Contains("executable file not found", e.Message);
        var state = h.Service.Get(c.Id).State;
        Assert.Equal(ContainerStatus.Created, state.Status);
        Assert.Equal(127, state.ExitCode);
        Assert.Contains("OCI runtime create failed", state.Error);
        Assert.DoesNotContain(ShimOps.Wait, shims.OpsFor(c.Id)); // nothing to watch
    }

    [Fact]
    public async Task Exec_MissingExecutable_ExitCode126AsDockersExecInspect()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var exec = h.Service.CreateExec(c.Id, new Wharf.Engine.Execs.ExecCreateParams { Cmd = ["no-such-binary"], AttachStdout = true });
        shims.FailNext(ShimOps.Exec, 1, "exec failed: unable to start container process: exec: \"no-such-binary\": executable file not found in $PATH");

        var e = await Assert.ThrowsAsync<EngineException>(() => h.Service.StartExecAsync(exec.Id, detach: false, consoleSize: null, CancellationToken.None));

        Assert.Contains("executable file not found", e.Message);
        Assert.Equal(126, h.Service.GetExec(exec.Id).ExitCode); // `docker run` of the same would be 127
        Assert.False(h.Service.GetExec(exec.Id).Running);
    }

    [Fact]
    public async Task Exit_ShimDiesWithoutExitFile_ExitedWith255()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);

        shims.Die(c.Id);

        Assert.Equal(255, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(ContainerStatus.Exited, h.Service.Get(c.Id).State.Status);
        Assert.Contains("exitfile", shims.OpsFor(c.Id));
    }

    [Fact]
    public async Task Exit_ShimDiesAfterWritingExitFile_UsesTheFilesExitCode()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);

        shims.Die(c.Id, exitCode: 7);

        Assert.Equal(7, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(7, h.Service.Get(c.Id).State.ExitCode);
    }

    [Fact]
    public async Task Exit_RestartAlways_RestartsAfterBackoffOnly()
    {
        var time = new ManualTimeProvider();
        var shims = new FakeShimClient(time);
        await using var h = await ContainerServiceHarness.CreateAsync(shims, time);
        var c = h.Create(host: s => s.RestartPolicy = "always");
        await h.Service.StartAsync(c.Id, CancellationToken.None);

        shims.Exit(c.Id, 1);
        await Eventually(() => h.Service.Get(c.Id).State.Restarting);
        await time.WaitForTimersAsync();
        Assert.Equal(1, shims.Launches(c.Id)); // not before the back-off (100 ms) is over
        time.Advance(TimeSpan.FromMilliseconds(100));

        await Eventually(() => shims.IsRunning(c.Id));
        await Eventually(() => h.Service.Get(c.Id).State.Status == ContainerStatus.Running);
        Assert.Equal(2, shims.Launches(c.Id));
        Assert.Equal(1, h.Service.Get(c.Id).RestartCount);

        // The back-off doubles after a run that did not last: the second restart waits 200 ms.
        shims.Exit(c.Id, 1);
        await Eventually(() => h.Service.Get(c.Id).State.Restarting);
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(2, shims.Launches(c.Id));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually(() => shims.Launches(c.Id) == 3);
    }

    [Fact]
    public async Task Exit_OnFailureWithMaxRetries_StopsRestartingAtTheMaximum()
    {
        var time = new ManualTimeProvider();
        var shims = new FakeShimClient(time);
        await using var h = await ContainerServiceHarness.CreateAsync(shims, time);
        var c = h.Create(host: s => { s.RestartPolicy = "on-failure"; s.RestartMaxRetries = 2; });
        await h.Service.StartAsync(c.Id, CancellationToken.None);

        for (var run = 1; run <= 2; run++)
        {
            shims.Exit(c.Id, 1);
            await time.WaitForTimersAsync();
            time.Advance(TimeSpan.FromMinutes(1));
            await Eventually(() => shims.Launches(c.Id) == run + 1 && shims.IsRunning(c.Id));
            await Eventually(() => h.Service.Get(c.Id).State.Status == ContainerStatus.Running);
        }
        var final = h.Service.WaitAsync(c.Id, WaitCondition.NextExit, CancellationToken.None);
        shims.Exit(c.Id, 1);

        Assert.Equal(1, (await final.WaitAsync(Patience)).StatusCode);
        var record = h.Service.Get(c.Id);
        Assert.Equal(ContainerStatus.Exited, record.State.Status);
        Assert.Equal(2, record.RestartCount);
        Assert.Equal(3, shims.Launches(c.Id));
    }

    [Fact]
    public async Task Exit_OnFailureCleanExit_DoesNotRestart()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(host: s => s.RestartPolicy = "on-failure");
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);

        shims.Exit(c.Id, 0);

        Assert.Equal(0, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(ContainerStatus.Exited, h.Service.Get(c.Id).State.Status);
        Assert.Equal(1, shims.Launches(c.Id));
    }

    [Fact]
    public async Task Restore_UnlessStoppedDiedWhileDaemonWasDown_IsStartedAgain()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(host: s => s.RestartPolicy = "unless-stopped");
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        h.Service.Dispose(); // the daemon stops; the container keeps running under its shim

        shims.Die(c.Id, exitCode: 137); // ... and ends while no daemon watches
        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);

        await Eventually(() => shims.Launches(c.Id) == 2 && shims.IsRunning(c.Id));
        await Eventually(() => restarted.Get(c.Id).State.Status == ContainerStatus.Running);
    }

    [Fact]
    public async Task Restore_UnlessStoppedStoppedByHand_StaysExited()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(host: s => s.RestartPolicy = "unless-stopped");
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        await h.Service.StopAsync(c.Id, 1, null, CancellationToken.None);
        Assert.Equal(ContainerStatus.Exited, h.Service.Get(c.Id).State.Status);
        Assert.Equal(128 + 15, h.Service.Get(c.Id).State.ExitCode);
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);
        await Task.Delay(200);

        Assert.Equal(1, shims.Launches(c.Id));
        Assert.Equal(ContainerStatus.Exited, restarted.Get(c.Id).State.Status);
    }

    [Fact]
    public async Task Restore_LiveShim_IsWatchedAgainAndItsExitRecorded()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        h.Service.Dispose();

        using var restarted = h.NewService();
        await restarted.RestoreAsync(CancellationToken.None);
        Assert.True(restarted.Get(c.Id).State.Running);
        var wait = restarted.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 4);

        Assert.Equal(4, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(ContainerStatus.Exited, restarted.Get(c.Id).State.Status);
    }

    [Fact]
    public async Task Health_ProbesPassThenFail_StartingHealthyUnhealthyAndUnhealthyAfterExit()
    {
        var time = new ManualTimeProvider();
        var shims = new FakeShimClient(time);
        var probes = new ScriptedProbeRunner(0, 1, 1);
        await using var h = await ContainerServiceHarness.CreateAsync(shims, time);
        h.UseService(probes: probes);
        var c = h.Create(config: cfg => cfg.Healthcheck = new HealthcheckSettings
        {
            Test = ["CMD", "check"],
            Interval = TimeSpan.FromSeconds(1).Ticks * 100,
            Timeout = TimeSpan.FromSeconds(1).Ticks * 100,
            Retries = 2,
        });
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        Assert.Equal(HealthReport.Starting, h.Service.Get(c.Id).State.Health?.Status);

        await ProbeOnce(time, probes, 1);
        await Eventually(() => h.Service.Get(c.Id).State.Health?.Status == HealthReport.Healthy);
        await ProbeOnce(time, probes, 2);
        await Eventually(() => h.Service.Get(c.Id).State.Health?.FailingStreak == 1);
        Assert.Equal(HealthReport.Healthy, h.Service.Get(c.Id).State.Health?.Status); // one failure is not enough
        await ProbeOnce(time, probes, 3);
        await Eventually(() => h.Service.Get(c.Id).State.Health?.Status == HealthReport.Unhealthy);

        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 0);
        await wait.WaitAsync(Patience);
        Assert.Equal(HealthReport.Unhealthy, h.Service.Get(c.Id).State.Health?.Status);
        Assert.Equal(0, time.ActiveTimers); // the monitor stopped with the container
        Assert.All(probes.Containers, id => Assert.Equal(c.Id, id));
    }

    [Fact]
    public async Task Wait_NotRunningOnExitedContainer_AnswersAtOnceWithLastExitCode()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var exited = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 9);
        await exited.WaitAsync(Patience);

        var again = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        var next = h.Service.WaitAsync(c.Id, WaitCondition.NextExit, CancellationToken.None);

        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(9, (await again).StatusCode);
        Assert.False(next.IsCompleted); // next-exit waits for a run that has not started
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        shims.Exit(c.Id, 2);
        Assert.Equal(2, (await next.WaitAsync(Patience)).StatusCode);
    }

    [Fact]
    public async Task RemoveForced_RestartAlways_RemovesInsteadOfRestarting()
    {
        // rm -f kills as docker kill does: the policy must not take the SIGKILL for an exit to restart after (the
        // container turned "restarting", counted as running, and rm -f answered "stop the container before removing").
        var time = new ManualTimeProvider();
        var shims = new FakeShimClient(time);
        await using var h = await ContainerServiceHarness.CreateAsync(shims, time);
        var c = h.Create(host: s => s.RestartPolicy = "always");
        await h.Service.StartAsync(c.Id, CancellationToken.None);

        await h.Service.RemoveAsync(c.Id, force: true, CancellationToken.None);

        Assert.False(h.Service.TryGet(c.Id, out _));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, shims.Launches(c.Id));
    }

    [Fact]
    public async Task Wait_Removed_CompletesWhenTheContainerIsRemovedNotWhenItExits()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        var removed = h.Service.WaitAsync(c.Id, WaitCondition.Removed, CancellationToken.None);
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var exited = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        shims.Exit(c.Id, 5);
        await exited.WaitAsync(Patience);
        Assert.False(removed.IsCompleted);

        await h.Service.RemoveAsync(c.Id, force: false, CancellationToken.None);

        await removed.WaitAsync(Patience);
        Assert.False(h.Service.TryGet(c.Id, out _));
    }

    [Fact]
    public async Task Wait_AutoRemoveContainerExits_RemovedWaitCompletes()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create(host: s => s.AutoRemove = true);
        var removed = h.Service.WaitAsync(c.Id, WaitCondition.Removed, CancellationToken.None);
        await h.Service.StartAsync(c.Id, CancellationToken.None);

        shims.Exit(c.Id, 0);

        await removed.WaitAsync(Patience);
        Assert.False(h.Service.TryGet(c.Id, out _));
    }

    [Fact]
    public async Task Stop_KillFailsAtTheShim_ReportsTheErrorAndContainerKeepsRunning()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        shims.FailNext(ShimOps.Kill, 1, "runc kill: permission denied");

        var e = await Assert.ThrowsAsync<EngineException>(() => h.Service.KillAsync(c.Id, "KILL", CancellationToken.None));

        Assert.Contains("permission denied", e.Message);
        Assert.True(h.Service.Get(c.Id).State.Running);
    }

    [Fact]
    public async Task Wait_CleanupAfterExitThrows_WaitStillReturnsAndTheFailureIsLogged()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);
        h.Mounts.FailNextUnmounts = 1;

        shims.Exit(c.Id, 6);

        Assert.Equal(6, (await wait.WaitAsync(Patience)).StatusCode);
        Assert.Equal(ContainerStatus.Exited, h.Service.Get(c.Id).State.Status);
        var logged = Assert.Single(h.Log.Entries, e => e.Message.Contains("rootfs unmount", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.IsType<IOException>(logged.Exception);
        // The container is usable afterwards: the next run starts and its exit is seen.
        var next = h.Service.WaitAsync(c.Id, WaitCondition.NextExit, CancellationToken.None);
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        shims.Exit(c.Id, 0);
        Assert.Equal(0, (await next.WaitAsync(Patience)).StatusCode);
    }

    [Fact]
    public async Task Exit_ShimLostWithoutExitFile_IsLogged()
    {
        var shims = new FakeShimClient();
        await using var h = await ContainerServiceHarness.CreateAsync(shims, null);
        var c = h.Create();
        await h.Service.StartAsync(c.Id, CancellationToken.None);
        var wait = h.Service.WaitAsync(c.Id, WaitCondition.NotRunning, CancellationToken.None);

        shims.Die(c.Id);
        await wait.WaitAsync(Patience);

        Assert.Contains(h.Log.Entries, e => e.Message.Contains("went away", StringComparison.Ordinal) && e.Exception is IOException);
        Assert.Contains(h.Log.Entries, e => e.Message.Contains("no readable exit file", StringComparison.Ordinal));
    }

    private static async Task ProbeOnce(ManualTimeProvider time, ScriptedProbeRunner probes, int expectedProbes)
    {
        await time.WaitForTimersAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => probes.Containers.Count == expectedProbes);
    }

    internal static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(5);
        }
    }

    /// <summary>Answers probes with the given exit codes in turn (then keeps the last one).</summary>
    private sealed class ScriptedProbeRunner(params int[] exitCodes) : IContainerProbeRunner
    {
        private readonly Lock _lock = new();
        private readonly List<string> _containers = [];

        public IReadOnlyList<string> Containers
        {
            get { lock (_lock) return [.. _containers]; }
        }

        public Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
        {
            lock (_lock)
            {
                _containers.Add(containerId);
                var code = exitCodes[Math.Min(_containers.Count, exitCodes.Length) - 1];
                return Task.FromResult(new ProbeOutcome(code, code == 0 ? "ok" : "failing"));
            }
        }
    }
}
