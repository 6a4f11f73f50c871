using System.Text;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>The container's state machine (created → running → exited, or created → failed) on fake children:
/// what each transition reports, records and cleans up, and that no transition waits on the log writer.</summary>
public sealed class ContainerProcessTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task StartAsync_RuncStartsIt_StateIsRunningWithThePid()
    {
        using var h = new ContainerHarness();
        Assert.Equal("created", h.Container.State().Status);

        var started = await h.Container.StartAsync();

        Assert.True(started.Ok, started.Error);
        Assert.Equal(h.Children.ProcessPid, started.Pid);
        var state = h.Container.State();
        Assert.Equal("running", state.Status);
        Assert.Equal(h.Children.ProcessPid, state.Pid);
        Assert.Contains(h.Children.Runs, r => r.Contains("run") && r.Contains("-d") && r[^1] == "c0ffee");
    }

    [Fact]
    public async Task StartAsync_Twice_SecondIsRefused()
    {
        using var h = new ContainerHarness();
        Assert.True((await h.Container.StartAsync()).Ok);

        var again = await h.Container.StartAsync();

        Assert.False(again.Ok);
        Assert.Equal("container is running, cannot start it again", again.Error);
        Assert.Single(h.Children.Runs, r => r.Contains("run"));
    }

    [Fact]
    public async Task StartAsync_RuncFails_ReportsRuncsErrorDropsItsOutputAndFinishes()
    {
        using var h = new ContainerHarness();
        h.Children.RuncStatus = 1 << 8;
        h.Children.RuncLog = "{\"level\":\"error\",\"msg\":\"exec: \\\"nope\\\": executable file not found in $PATH\"}\n";
        h.Children.Stderr = "runc: noise on the container's stderr\n"u8.ToArray();

        var started = await h.Container.StartAsync();

        Assert.False(started.Ok);
        Assert.Equal("exec: \"nope\": executable file not found in $PATH", started.Error);
        await h.Container.Finished.WaitAsync(ContainerHarness.Patience);
        Assert.Equal("exited", h.Container.State().Status);
        Assert.Equal("", h.Log.Text(OutputStream.Stderr));
        Assert.True(h.Children.Ran("delete"), "runc's leftovers are deleted");
        Assert.False(File.Exists(h.ExitFile), "a container that never ran has no exit record");
    }

    [Fact]
    public async Task Exit_ContainerExits_RecordsCodeWritesExitFileDeletesAndFinishes()
    {
        using var h = new ContainerHarness();
        h.Children.Stdout = "hello\n"u8.ToArray();
        Assert.True((await h.Container.StartAsync()).Ok);

        h.Children.Exit(h.Children.ProcessPid, 3 << 8);
        var exit = await h.Container.Exited.WaitAsync(ContainerHarness.Patience);
        await h.Container.Finished.WaitAsync(ContainerHarness.Patience);

        Assert.Equal(3, exit.ExitCode);
        Assert.Equal(h.Children.ProcessPid, exit.Pid);
        var state = h.Container.State();
        Assert.Equal(("exited", 3), (state.Status, state.ExitCode));
        var recorded = JsonSerializer.Deserialize(File.ReadAllBytes(h.ExitFile), CoreJsonContext.Default.ShimExitRecord)!;
        Assert.Equal(3, recorded.ExitCode);
        Assert.Equal("hello\n", h.Log.Text(OutputStream.Stdout));
        Assert.Equal(1, h.Log.Flushes);
        Assert.True(h.Children.Ran("delete"));
    }

    [Fact]
    public async Task Exit_KilledBySignal_ExitCodeIs128PlusTheSignal()
    {
        using var h = new ContainerHarness();
        Assert.True((await h.Container.StartAsync()).Ok);

        h.Children.Exit(h.Children.ProcessPid, 9); // raw wait status of a SIGKILLed process

        Assert.Equal(137, (await h.Container.Exited.WaitAsync(ContainerHarness.Patience)).ExitCode);
    }

    [Fact]
    public async Task KillAsync_WhileRunning_SignalsItsPid()
    {
        using var h = new ContainerHarness();
        Assert.True((await h.Container.StartAsync()).Ok);

        var killed = await h.Container.KillAsync(SigTerm, all: false);

        Assert.True(killed.Ok, killed.Error);
        Assert.Equal([(h.Children.ProcessPid, SigTerm)], h.Children.Signals);
    }

    [Fact]
    public async Task KillAsync_AfterTheReap_NeverSignalsThePidAgain()
    {
        using var h = new ContainerHarness();
        // Output that never ends keeps the exit from completing (the pumps are drained for 2 s): the kill below
        // comes while the shim still says "running", after the pid has been reaped and may be reused.
        h.Log.Block = new ManualResetEventSlim(false);
        h.Children.Stdout = "x\n"u8.ToArray();
        Assert.True((await h.Container.StartAsync()).Ok);
        h.Children.Exit(h.Children.ProcessPid, 0);

        var killed = await h.Container.KillAsync(SigTerm, all: false);

        Assert.False(killed.Ok);
        Assert.Empty(h.Children.Signals);
    }

    [Fact]
    public async Task KillAsync_BeforeStart_IsRefused()
    {
        using var h = new ContainerHarness();

        var killed = await h.Container.KillAsync(SigTerm, all: false);

        Assert.False(killed.Ok);
        Assert.Equal("container is not running (created)", killed.Error);
        Assert.Empty(h.Children.Signals);
    }

    [Fact]
    public async Task Abandon_NeverStarted_FinishesWithoutRunc()
    {
        using var h = new ContainerHarness();

        Assert.True(h.Container.Abandon().Ok);

        await h.Container.Finished.WaitAsync(ContainerHarness.Patience);
        Assert.Empty(h.Children.Runs);
        Assert.False((await h.Container.StartAsync()).Ok);
    }

    [Fact]
    public async Task Abandon_Running_IsRefused()
    {
        using var h = new ContainerHarness();
        Assert.True((await h.Container.StartAsync()).Ok);

        var abandoned = h.Container.Abandon();

        Assert.False(abandoned.Ok);
        Assert.Equal("running", h.Container.State().Status);
    }

    [Fact]
    public async Task Exit_LogWriterStuck_ExitIsStillRecordedAndTheShimFinishes()
    {
        using var h = new ContainerHarness();
        h.Log.Block = new ManualResetEventSlim(false); // a hung disk: the first write never returns
        h.Children.Stdout = Encoding.ASCII.GetBytes(new string('x', 1000) + "\n");
        Assert.True((await h.Container.StartAsync()).Ok);
        Assert.True(h.Log.Entered.Wait(ContainerHarness.Patience), "output reached the writer");

        h.Children.Exit(h.Children.ProcessPid, 7 << 8);

        Assert.Equal(7, (await h.Container.Exited.WaitAsync(ContainerHarness.Patience)).ExitCode);
        Assert.Equal("exited", h.Container.State().Status);
        Assert.True(File.Exists(h.ExitFile));
        await h.Container.Finished.WaitAsync(ContainerHarness.Patience);
    }

    [Fact]
    public async Task Exit_LogWriterThrows_ExitIsStillRecorded()
    {
        using var h = new ContainerHarness();
        h.Log.Failure = new InvalidOperationException("a writer bug");
        h.Children.Stdout = "partial line without newline"u8.ToArray();
        Assert.True((await h.Container.StartAsync()).Ok);

        h.Children.Exit(h.Children.ProcessPid, 0);

        Assert.Equal(0, (await h.Container.Exited.WaitAsync(ContainerHarness.Patience)).ExitCode);
        await h.Container.Finished.WaitAsync(ContainerHarness.Patience);
        Assert.Equal("exited", h.Container.State().Status);
    }
}
