using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Oci;
using Wharf.Core.Shim;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>Execs on fake children: start, the answer line then framed output, the exit code for a late wait, and
/// no signal once the exec has been reaped.</summary>
public sealed class ExecSupervisorTests
{
    private static ShimRequest ExecRequest(string id) => new()
    {
        Op = ShimOps.Exec,
        ExecId = id,
        Process = new SpecProcess { Args = ["sh", "-c", "echo hi"] },
        Stdout = true,
        Stderr = true,
    };

    private static ShimResponse FirstLine(byte[] received, out byte[] rest)
    {
        var newline = Array.IndexOf(received, (byte)'\n');
        Assert.True(newline > 0, "an answer line");
        rest = received[(newline + 1)..];
        return JsonSerializer.Deserialize(received.AsSpan(0, newline), CoreJsonContext.Default.ShimResponse)!;
    }

    private static async Task<ShimResponse> AskAsync(ExecSupervisor execs, ShimRequest request)
    {
        using var pair = await SocketPair.CreateAsync();
        await execs.ServeAsync(pair.Shim, request, CancellationToken.None).WaitAsync(ContainerHarness.Patience);
        pair.Shim.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        return FirstLine(await pair.ReadToEndAsync(ContainerHarness.Patience), out _);
    }

    /// <summary>Asks the exec's state until it runs; its pid.</summary>
    private static async Task<int> RunningPidAsync(ExecSupervisor execs, string id)
    {
        var deadline = DateTime.UtcNow + ContainerHarness.Patience;
        while (true)
        {
            var state = await AskAsync(execs, new ShimRequest { Op = ShimOps.State, ExecId = id });
            if (state.Ok && state.Status == "running")
                return state.Pid;
            Assert.True(DateTime.UtcNow < deadline, "the exec never ran");
            await Task.Delay(10);
        }
    }

    private static async Task<(ContainerHarness Harness, ExecSupervisor Execs)> RunningContainerAsync()
    {
        var h = new ContainerHarness();
        Assert.True((await h.Container.StartAsync()).Ok);
        return (h, new ExecSupervisor(h.Options, h.Children, h.Container, TimeProvider.System));
    }

    [Fact]
    public async Task Exec_Runs_AnswersThenStreamsFramedOutputAndAWaitGetsTheExitCode()
    {
        var (h, execs) = await RunningContainerAsync();
        using var _ = h;
        h.Children.Stdout = "hi\n"u8.ToArray();
        using var pair = await SocketPair.CreateAsync();

        var serving = execs.ServeAsync(pair.Shim, ExecRequest("e1"), CancellationToken.None);
        var reading = pair.ReadToEndAsync(ContainerHarness.Patience);
        var execPid = await RunningPidAsync(execs, "e1");
        h.Children.Exit(execPid, 5 << 8);
        await serving.WaitAsync(ContainerHarness.Patience);

        var answer = FirstLine(await reading, out var stream);
        Assert.True(answer.Ok, answer.Error);
        Assert.Equal(execPid, answer.Pid);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 3, .. "hi\n"u8.ToArray()], stream);
    }

    [Fact]
    public async Task Wait_AfterTheExecExited_AnswersItsExitCode()
    {
        var (h, execs) = await RunningContainerAsync();
        using var _ = h;
        using var pair = await SocketPair.CreateAsync();
        var serving = execs.ServeAsync(pair.Shim, ExecRequest("e2"), CancellationToken.None);
        h.Children.Exit(await RunningPidAsync(execs, "e2"), 5 << 8);
        await serving.WaitAsync(ContainerHarness.Patience);

        var waited = await AskAsync(execs, new ShimRequest { Op = ShimOps.Wait, ExecId = "e2" });

        Assert.Equal(("exited", 5), (waited.Status, waited.ExitCode));
        Assert.False(File.Exists(Path.Combine(h.Options.StateDir, "exec-e2.json")), "the process file is removed once the exec is done");
    }

    [Fact]
    public async Task Kill_RunningExec_SignalsItAndAfterTheReapNeverAgain()
    {
        var (h, execs) = await RunningContainerAsync();
        using var _ = h;
        using var pair = await SocketPair.CreateAsync();
        var serving = execs.ServeAsync(pair.Shim, ExecRequest("e3"), CancellationToken.None);
        var execPid = await RunningPidAsync(execs, "e3");

        var killed = await AskAsync(execs, new ShimRequest { Op = ShimOps.Kill, ExecId = "e3", Signal = 15 });
        h.Children.Exit(execPid, 143);
        var late = await AskAsync(execs, new ShimRequest { Op = ShimOps.Kill, ExecId = "e3", Signal = 9 });
        await serving.WaitAsync(ContainerHarness.Patience);

        Assert.True(killed.Ok, killed.Error);
        Assert.False(late.Ok);
        Assert.Equal([(execPid, 15)], h.Children.Signals);
    }

    [Fact]
    public async Task Exec_ContainerNotRunning_IsRefused()
    {
        using var h = new ContainerHarness();
        var execs = new ExecSupervisor(h.Options, h.Children, h.Container, TimeProvider.System);

        var answer = await AskAsync(execs, ExecRequest("e4"));

        Assert.Equal((false, "container is not running"), (answer.Ok, answer.Error));
        Assert.Empty(h.Children.Runs);
    }

    [Fact]
    public async Task Exec_RuncFails_AnswersRuncsError()
    {
        var (h, execs) = await RunningContainerAsync();
        using var _ = h;
        h.Children.RuncStatus = 1 << 8;
        h.Children.RuncLog = "{\"level\":\"error\",\"msg\":\"exec failed: no such file\"}\n";

        var answer = await AskAsync(execs, ExecRequest("e5"));
        var waited = await AskAsync(execs, new ShimRequest { Op = ShimOps.Wait, ExecId = "e5" });

        Assert.Equal((false, "exec failed: no such file"), (answer.Ok, answer.Error));
        Assert.Equal(-1, waited.ExitCode);
    }

    [Fact]
    public async Task Request_UnknownExec_IsAnsweredNoSuchExec()
    {
        var (h, execs) = await RunningContainerAsync();
        using var _ = h;

        var answer = await AskAsync(execs, new ShimRequest { Op = ShimOps.Wait, ExecId = "nope" });

        Assert.Equal((false, "no such exec: nope"), (answer.Ok, answer.Error));
    }
}
