using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Shim;

namespace Wharf.Linux.Tests;

/// <summary>The real wharf-shim driving the real runc (privileged).</summary>
public sealed class ShimEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Start_ShellWritingBothStreams_AttachLogWaitAndExitFileAgree()
    {
        using var run = new ShimRun(["sh", "-c", "echo out; echo err >&2; exit 3"]);
        run.Launch();

        var (attach, attached) = await ShimClient.SendAsync(run.Socket, new ShimRequest { Op = ShimOps.Attach, Stdout = true, Stderr = true });
        using (attach)
        {
            Assert.True(attached.Ok);
            var waitTask = ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Wait });

            var started = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });
            Assert.True(started.Ok, started.Error);
            Assert.True(started.Pid > 0);

            var frames = await ShimClient.ReadFramesToEndAsync(attach, Timeout);
            Assert.Contains((1, "out\n"), frames);
            Assert.Contains((2, "err\n"), frames);
            Assert.Equal(2, frames.Count);

            var waited = await waitTask.WaitAsync(Timeout);
            Assert.True(waited.Ok);
            Assert.Equal(3, waited.ExitCode);
            Assert.NotNull(waited.FinishedAt);

            var exit = JsonSerializer.Deserialize(File.ReadAllText(ShimPaths.ExitFile(run.StateDir)), CoreJsonContext.Default.ShimExitRecord)!;
            Assert.Equal(3, exit.ExitCode);
            Assert.Equal(started.Pid, exit.Pid);
            Assert.NotNull(exit.StartedAt);
            Assert.True(exit.FinishedAt >= exit.StartedAt);
        }

        var lines = File.ReadAllLines(run.LogPath);
        Assert.Equal(2, lines.Length);
        var entries = lines.Select(l => JsonSerializer.Deserialize(l, CoreJsonContext.Default.JsonLogEntry)!).ToList();
        Assert.Contains(entries, e => e is { Log: "out\n", Stream: "stdout" });
        Assert.Contains(entries, e => e is { Log: "err\n", Stream: "stderr" });
        foreach (var line in lines)
        {
            // Docker's fixed nanosecond RFC 3339 in UTC: "time":"2026-11-27T21:43:00.123456789Z"
            Assert.Matches("\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z\"", line);
        }
        Assert.All(entries, e => Assert.True((DateTimeOffset.UtcNow - e.Time).Duration() < TimeSpan.FromMinutes(1)));

        // After the container is gone the shim cleans up and leaves.
        Assert.True(run.ShimExited(Timeout));
        Assert.Equal(0, run.Shim.ExitCode);
        Assert.False(File.Exists(run.Socket));
        Assert.False(Directory.Exists(Path.Combine(run.RuntimeRoot, run.Id)));
    }

    [Fact]
    public async Task Start_MissingExecutable_FailsWithRuncWordingAndLeavesNothingBehind()
    {
        using var run = new ShimRun(["no-such-command"], mountRootfs: true);
        var ops = new LinuxMountOps();
        Assert.True(ops.IsMounted(run.Rootfs));
        run.Launch();

        var started = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });

        Assert.False(started.Ok);
        Assert.Contains("executable file not found", started.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-command", started.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(run.RuntimeRoot, run.Id)));
        Assert.False(ops.IsMounted(run.Rootfs));
        Assert.True(run.ShimExited(Timeout));
        Assert.False(File.Exists(run.Socket));
        Assert.False(File.Exists(ShimPaths.ExitFile(run.StateDir)));
        // runc's own complaint is not container output
        Assert.True(!File.Exists(run.LogPath) || File.ReadAllText(run.LogPath).Length == 0);
    }

    [Fact]
    public async Task Kill_SleepingContainerWithSigkill_ExitCodeIs137()
    {
        using var run = new ShimRun(["sleep", "100"]);
        run.Launch();

        var started = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });
        Assert.True(started.Ok, started.Error);
        var state = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.State });
        Assert.Equal("running", state.Status);
        Assert.Equal(started.Pid, state.Pid);
        var waitTask = ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Wait });

        var killed = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Kill, Signal = 9 /* SIGKILL */ });
        Assert.True(killed.Ok, killed.Error);

        var waited = await waitTask.WaitAsync(Timeout);
        Assert.Equal(137, waited.ExitCode);
        Assert.True(run.ShimExited(Timeout));
        var exit = JsonSerializer.Deserialize(File.ReadAllText(ShimPaths.ExitFile(run.StateDir)), CoreJsonContext.Default.ShimExitRecord)!;
        Assert.Equal(137, exit.ExitCode);
    }

    [Fact]
    public async Task Attach_StdinOnce_ClientEofClosesContainerStdin()
    {
        using var run = new ShimRun(["cat"], openStdin: true, stdinOnce: true);
        run.Launch();

        var (attach, attached) = await ShimClient.SendAsync(run.Socket, new ShimRequest { Op = ShimOps.Attach, Stdin = true, Stdout = true, Stderr = true });
        using (attach)
        {
            Assert.True(attached.Ok);
            var started = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });
            Assert.True(started.Ok, started.Error);
            // Ask before the container can exit: once it has, the shim cleans up and leaves.
            var waitTask = ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Wait });

            await attach.SendAsync("hello stdin\n"u8.ToArray(), SocketFlags.None);
            attach.Shutdown(SocketShutdown.Send); // EOF: with --stdin-once, cat sees EOF and exits 0

            var frames = await ShimClient.ReadFramesToEndAsync(attach, Timeout);
            Assert.Equal("hello stdin\n", string.Concat(frames.Where(f => f.Stream == 1).Select(f => f.Text)));
            var waited = await waitTask.WaitAsync(Timeout);
            Assert.Equal(0, waited.ExitCode);
        }
    }

    [Fact]
    public async Task Start_Twice_SecondIsRefused()
    {
        using var run = new ShimRun(["sleep", "100"]);
        run.Launch();

        var first = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });
        var second = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Start });

        Assert.True(first.Ok, first.Error);
        Assert.False(second.Ok);
        Assert.NotNull(second.Error);
        // Wait first, as the daemon does: once the container is gone the shim answers what it has and exits,
        // so a wait sent after the kill could find no shim left to ask.
        var waiting = ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Wait });
        // (SIGTERM would be ignored: sleep is pid 1 of its namespace and has no handler.)
        var killed = await ShimClient.RequestAsync(run.Socket, new ShimRequest { Op = ShimOps.Kill, Signal = 9 /* SIGKILL */, All = true });
        Assert.True(killed.Ok, killed.Error);
        var waited = await waiting.WaitAsync(Timeout);
        Assert.Equal(137, waited.ExitCode);
    }
}
