namespace Wharf.EndToEnd.Tests;

/// <summary>`docker run` and friends, with the real docker CLI against a real wharfd.</summary>
[Collection(DaemonCollection.Name)]
public sealed class DockerRunTests(DaemonFixture daemon)
{
    [Fact]
    public async Task Run_Echo_PrintsOutputAndExitsZero()
    {
        var r = await daemon.DockerAsync("run", "--rm", "busybox", "echo", "hello from wharf");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("hello from wharf\n", r.Stdout);
    }

    [Fact]
    public async Task Run_ExitCode_IsPropagated()
    {
        var r = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out\n", r.Stdout);
        Assert.Contains("err", r.Stderr);
    }

    [Fact]
    public async Task Run_MissingExecutable_Exits127AndContainerStaysCreated()
    {
        var name = "missing-exe-" + Guid.NewGuid().ToString("N")[..6];
        var r = await daemon.DockerAsync("run", "--name", name, "busybox", "/no/such/binary");
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("no such file or directory", r.Stderr);
        var state = await daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}", name);
        Assert.StartsWith("created 127 ", state.Stdout);
        Assert.Contains("no such file or directory", state.Stdout);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(daemon.Root, StringComparison.Ordinal) && l.Contains("rootfs", StringComparison.Ordinal));
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task Run_NotExecutable_Exits126()
    {
        var r = await daemon.DockerAsync("run", "--rm", "busybox", "/etc/passwd");
        Assert.Equal(126, r.ExitCode);
    }

    [Fact]
    public async Task Run_KilledBySignal_Exits128PlusSignal()
    {
        var name = "killed-" + Guid.NewGuid().ToString("N")[..6];
        var run = daemon.DockerAsync("run", "--rm", "--name", name, "busybox", "sleep", "300");
        await WaitForAsync(async () => (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", name)).Stdout == "true\n");
        Assert.Equal(0, (await daemon.DockerAsync("kill", name)).ExitCode);
        Assert.Equal(137, (await run).ExitCode);
    }

    [Fact]
    public async Task Run_Options_AreApplied()
    {
        var envFile = Path.Combine(daemon.Root, "env-" + Guid.NewGuid().ToString("N")[..6]);
        await File.WriteAllTextAsync(envFile, "FROM_FILE=yes\n");
        var r = await daemon.DockerAsync("run", "--rm", "-e", "A=1", "--env-file", envFile, "-w", "/tmp", "-u", "nobody", "-h", "myhost",
            "busybox", "sh", "-c", "echo $A $FROM_FILE $(pwd) $(id -u) $(hostname) $(cat /etc/hostname)");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1 yes /tmp 65534 myhost myhost\n", r.Stdout);
    }

    [Fact]
    public async Task Run_Entrypoint_ReplacesCommand()
    {
        var r = await daemon.DockerAsync("run", "--rm", "--entrypoint", "echo", "busybox", "via", "entrypoint");
        Assert.Equal("via entrypoint\n", r.Stdout);
    }

    [Fact]
    public async Task Run_ReadOnly_RootfsRefusesWrites()
    {
        var r = await daemon.DockerAsync("run", "--rm", "--read-only", "busybox", "touch", "/file");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Read-only file system", r.Stderr);
    }

    [Fact]
    public async Task Run_Interactive_PipesStdin()
    {
        CommandResult r;
        try
        {
            r = await daemon.DockerWithInputAsync("line one\nline two\n", "run", "--rm", "-i", "busybox", "sh", "-c", "cat; echo done");
        }
        catch (TimeoutException e)
        {
            var log = daemon.DaemonLog();
            var ps = await daemon.DockerAsync("ps", "-a", "--no-trunc");
            throw new TimeoutException(e.Message + "\n" + ps + "\n--- daemon log tail\n" + log[Math.Max(0, log.Length - 6000)..], e);
        }
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("line one\nline two\ndone\n", r.Stdout);
    }

    [Fact]
    public async Task Run_Isolation_NamespacesCapsAndMasks()
    {
        var r = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c",
            "echo pid1=$(cat /proc/1/comm); ls /sys/class/net | tr '\\n' ' '; echo; grep CapEff /proc/self/status; cat /proc/kcore 2>&1 | head -c 0; ls -l /proc/kcore | cut -c1; mount | grep -c ' / '; ls /dev/shm >/dev/null && echo shm");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pid1=sh", r.Stdout);
        Assert.Contains("\neth0 lo \n", r.Stdout); // the default bridge: its own veth end and loopback, none of the host's links
        Assert.Contains("CapEff:\t00000000a80425fb", r.Stdout); // Docker's default 14 capabilities
        Assert.Contains("shm", r.Stdout);
    }

    [Fact]
    public async Task Run_Detached_ThenLogsStopAndRemove()
    {
        var name = "detached-" + Guid.NewGuid().ToString("N")[..6];
        var run = await daemon.DockerAsync("run", "-d", "--name", name, "-l", "suite=e2e", "busybox", "sh", "-c", "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches("^[0-9a-f]{64}\n$", run.Stdout);

        var ps = await daemon.DockerAsync("ps", "--filter", "label=suite=e2e", "--format", "{{.Names}} {{.Status}}");
        Assert.Contains(name + " Up", ps.Stdout);

        await WaitForAsync(async () => (await daemon.DockerAsync("logs", name)).Stdout.Contains("started"));
        var stop = await daemon.DockerAsync("stop", "-t", "5", name);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var logs = await daemon.DockerAsync("logs", "-t", name);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z started\n", logs.Stdout);
        Assert.Contains("bye", logs.Stdout);
        var state = await daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}", name);
        Assert.Equal("exited 0 false\n", state.Stdout);

        var again = await daemon.DockerAsync("stop", name); // stopping a stopped container is a 304: success
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, (await daemon.DockerAsync("rm", name)).ExitCode);
        Assert.Contains("No such container", (await daemon.DockerAsync("container", "inspect", name)).Stderr);
    }

    [Fact]
    public async Task Stop_IgnoringTerm_IsKilledAfterTimeout()
    {
        var name = "stubborn-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
        var started = DateTime.UtcNow;
        var stop = await daemon.DockerAsync("stop", "-t", "1", name);
        Assert.Equal(0, stop.ExitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        var code = await daemon.DockerAsync("inspect", "-f", "{{.State.ExitCode}}", name);
        Assert.Equal("137\n", code.Stdout);
        await daemon.DockerAsync("rm", "-f", name);
    }

    [Fact]
    public async Task CreateStartAttachWaitKillRestartRename_Work()
    {
        var name = "lifecycle-" + Guid.NewGuid().ToString("N")[..6];
        var create = await daemon.DockerAsync("create", "--name", name, "busybox", "sh", "-c", "echo ran; exit 5");
        Assert.True(create.ExitCode == 0, create.ToString());
        var startAttached = await daemon.DockerAsync("start", "-a", name);
        Assert.Equal("ran\n", startAttached.Stdout);
        Assert.Equal(5, startAttached.ExitCode);
        var wait = await daemon.DockerAsync("wait", name);
        Assert.Equal("5\n", wait.Stdout);

        var renamed = name + "-new";
        Assert.Equal(0, (await daemon.DockerAsync("rename", name, renamed)).ExitCode);
        Assert.Contains("No such container", (await daemon.DockerAsync("container", "inspect", name)).Stderr);

        var sleeper = "sleeper-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "-d", "--name", sleeper, "busybox", "sleep", "300");
        var kill = await daemon.DockerAsync("kill", "-s", "KILL", sleeper);
        Assert.Equal(0, kill.ExitCode);
        Assert.Equal("137\n", (await daemon.DockerAsync("wait", sleeper)).Stdout);
        var killStopped = await daemon.DockerAsync("kill", sleeper);
        Assert.NotEqual(0, killStopped.ExitCode);
        Assert.Contains("is not running", killStopped.Stderr);

        var restart = await daemon.DockerAsync("restart", "-t", "1", sleeper);
        Assert.Equal(0, restart.ExitCode);
        Assert.Equal("true\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", sleeper)).Stdout);
        var rmRunning = await daemon.DockerAsync("rm", sleeper);
        Assert.NotEqual(0, rmRunning.ExitCode);
        Assert.Contains("container is running", rmRunning.Stderr);
        Assert.Equal(0, (await daemon.DockerAsync("rm", "-f", sleeper, renamed)).ExitCode);
    }

    [Fact]
    public async Task Ps_FiltersAndFormats()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "--name", "ps-ok-" + tag, "-l", "ps=" + tag, "busybox", "true");
        await daemon.DockerAsync("run", "--name", "ps-bad-" + tag, "-l", "ps=" + tag, "busybox", "false");
        var exited1 = await daemon.DockerAsync("ps", "-a", "--filter", "label=ps=" + tag, "--filter", "exited=1", "--format", "{{.Names}}");
        Assert.Equal("ps-bad-" + tag + "\n", exited1.Stdout);
        var byName = await daemon.DockerAsync("ps", "-a", "-q", "--filter", "name=ps-ok-" + tag);
        Assert.Matches("^[0-9a-f]{12}\n$", byName.Stdout);
        var noTrunc = await daemon.DockerAsync("ps", "-a", "--no-trunc", "-q", "--filter", "name=ps-ok-" + tag);
        Assert.Matches("^[0-9a-f]{64}\n$", noTrunc.Stdout);
        var latest = await daemon.DockerAsync("ps", "-l", "--format", "{{.Names}} {{.Status}}");
        Assert.Matches("^ps-bad-" + tag + @" Exited \(1\) .* ago\n$", latest.Stdout);
        var status = await daemon.DockerAsync("ps", "-a", "--filter", "status=exited", "--filter", "ancestor=busybox", "--filter", "label=ps=" + tag, "-q");
        Assert.Equal(2, status.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var prune = await daemon.DockerAsync("container", "prune", "-f", "--filter", "label=ps=" + tag);
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.Empty((await daemon.DockerAsync("ps", "-aq", "--filter", "label=ps=" + tag)).Stdout.Trim());
    }

    [Fact]
    public async Task Logs_TailSinceAndFollow()
    {
        var name = "logs-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "--name", name, "busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; sleep 0.2; echo oops >&2");
        var tail = await daemon.DockerAsync("logs", "--tail", "2", name);
        Assert.Equal("line5\n", tail.Stdout);
        Assert.Equal("oops\n", tail.Stderr);
        var future = await daemon.DockerAsync("logs", "--since", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds().ToString(), name);
        Assert.Equal("", future.Stdout);
        var until = await daemon.DockerAsync("logs", "--until", "2000-01-01T00:00:00Z", name);
        Assert.Equal("", until.Stdout);
        var follow = await daemon.DockerAsync("logs", "-f", name); // exited container: follow returns at once
        Assert.Contains("line1\n", follow.Stdout);
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task LogsFollow_RunningContainer_StreamsUntilItExits()
    {
        var name = "follow-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "-d", "--name", name, "busybox", "sh", "-c", "echo first; sleep 1; echo second; sleep 1; echo third");
        var follow = await daemon.DockerAsync("logs", "-f", name);
        Assert.True(follow.ExitCode == 0, follow.ToString());
        Assert.Equal("first\nsecond\nthird\n", follow.Stdout);
        await daemon.DockerAsync("rm", name);
    }

    [Fact]
    public async Task Events_ReportLifecycleWithFilters()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        var name = "events-" + Guid.NewGuid().ToString("N")[..6];
        await daemon.DockerAsync("run", "--rm", "--name", name, "busybox", "true");
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "container=" + name, "--format", "{{.Action}}");
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.Equal(["create", "attach", "start", "die", "destroy"], events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 10 s");
            await Task.Delay(100);
        }
    }
}
