using static Wharf.EndToEnd.Tests.Lifecycle.LifecycleWait;

namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>--stop-signal, --stop-timeout, the image's STOPSIGNAL, and --init, with docker and wharf.</summary>
[Collection(DaemonCollection.Name)]
public sealed class StopSignalAndInitTests(DaemonFixture daemon)
{
    private const string TrapUsr1 = "trap 'exit 42' USR1; trap '' TERM; while true; do sleep 0.1; done";

    [Fact]
    public async Task StopSignalAndTimeout_AreHonouredByStopAndRestart()
    {
        var name = Unique("stopsig");
        await daemon.DockerAsync("run", "-d", "--name", name, "--stop-signal", "USR1", "busybox", "sh", "-c", TrapUsr1);
        Assert.Equal("USR1", await InspectAsync(daemon, "{{.Config.StopSignal}}", name));
        var started = DateTime.UtcNow;
        Assert.Equal(0, (await daemon.DockerAsync("stop", name)).ExitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal("42", await InspectAsync(daemon, "{{.State.ExitCode}}", name));
        Assert.Equal(0, (await daemon.DockerAsync("restart", name)).ExitCode);
        Assert.Equal("true", await InspectAsync(daemon, "{{.State.Running}}", name));
        Assert.Equal(0, (await daemon.DockerAsync("restart", name)).ExitCode); // stops with USR1 again, then starts
        Assert.Equal("true", await InspectAsync(daemon, "{{.State.Running}}", name));
        await daemon.DockerAsync("rm", "-f", name);

        // --stop-timeout replaces the 10 s default: TERM is ignored, so SIGKILL follows after 1 s.
        var stubborn = Unique("stoptimeout");
        await daemon.DockerAsync("run", "-d", "--name", stubborn, "--stop-timeout", "1", "busybox", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
        Assert.Equal("1", await InspectAsync(daemon, "{{.Config.StopTimeout}}", stubborn));
        started = DateTime.UtcNow;
        Assert.Equal(0, (await daemon.DockerAsync("stop", stubborn)).ExitCode);
        var took = DateTime.UtcNow - started;
        Assert.True(took >= TimeSpan.FromSeconds(0.9) && took < TimeSpan.FromSeconds(6), $"stop took {took}");
        Assert.Equal("137", await InspectAsync(daemon, "{{.State.ExitCode}}", stubborn));
        await daemon.DockerAsync("rm", "-f", stubborn);

        // The same through wharf.
        var viaWharf = Unique("wharf-stopsig");
        Assert.Equal(0, (await daemon.WharfAsync("run", "-d", "--name", viaWharf, "--stop-signal", "USR1", "--stop-timeout", "30", "busybox", "sh", "-c", TrapUsr1)).ExitCode);
        Assert.Equal("USR1 30", await InspectAsync(daemon, "{{.Config.StopSignal}} {{.Config.StopTimeout}}", viaWharf));
        Assert.Equal(0, (await daemon.WharfAsync("stop", viaWharf)).ExitCode);
        Assert.Equal("42", await InspectAsync(daemon, "{{.State.ExitCode}}", viaWharf));
        await daemon.DockerAsync("rm", "-f", viaWharf);
    }

    [Fact]
    public async Task ImageStopSignalAndHealthcheck_AreInherited()
    {
        var tag = "lifecycle-image:" + Guid.NewGuid().ToString("N")[..6];
        var import = await CommandRunner.RunAsync("bash", ["-c",
            $"'{TestBinaries.BusyboxRootfsScript}' | '{TestBinaries.Docker}' import -c 'STOPSIGNAL USR1' -c 'HEALTHCHECK --interval=1s --retries=1 CMD test -f /tmp/ok' - {tag}"], daemon.Env);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Equal("USR1 [CMD-SHELL test -f /tmp/ok] 1s", (await daemon.DockerAsync("image", "inspect", "-f", "{{.Config.StopSignal}} {{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}}", tag)).Stdout.TrimEnd());
        var name = Unique("inherit");
        try
        {
            await daemon.DockerAsync("run", "-d", "--name", name, tag, "sh", "-c", TrapUsr1);
            Assert.Equal("USR1 [CMD-SHELL test -f /tmp/ok]", await InspectAsync(daemon, "{{.Config.StopSignal}} {{.Config.Healthcheck.Test}}", name));
            await UntilAsync(async () => await InspectAsync(daemon, "{{.State.Health.Status}}", name) == "unhealthy", TimeSpan.FromSeconds(10), "inherited check fails");
            Assert.Equal(0, (await daemon.DockerAsync("stop", name)).ExitCode);
            Assert.Equal("42", await InspectAsync(daemon, "{{.State.ExitCode}}", name));

            var none = Unique("nohealth");
            await daemon.DockerAsync("run", "-d", "--name", none, "--no-healthcheck", tag, "sleep", "300");
            Assert.Equal("[NONE] <nil>", await InspectAsync(daemon, "{{.Config.Healthcheck.Test}} {{.State.Health}}", none));
            await daemon.DockerAsync("rm", "-f", none);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
            await daemon.DockerAsync("rmi", tag);
        }
    }

    [Fact]
    public async Task Init_IsPid1_ReapsZombies_AndForwardsTheStopSignal()
    {
        // Seen from the host, so nothing depends on capturing a short-lived container's output.
        var reaper = Unique("init-reap");
        await daemon.DockerAsync("run", "-d", "--init", "--name", reaper, "busybox", "sh", "-c", "(sleep 0.2 &); sleep 300");
        var pid1 = int.Parse(await InspectAsync(daemon, "{{.State.Pid}}", reaper));
        var cmdline = (await File.ReadAllTextAsync($"/proc/{pid1}/cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["/sbin/docker-init", "--", "sh", "-c", "(sleep 0.2 &); sleep 300"], cmdline);
        // The orphaned sleep is re-parented to PID 1 when its subshell exits; docker-init reaps it once it ends.
        await Task.Delay(1500);
        Assert.Empty(ZombieChildrenOf(pid1));
        await daemon.DockerAsync("rm", "-f", reaper);

        // sleep as PID 1 would ignore SIGTERM (10 s until SIGKILL); under init it gets the signal at once.
        var name = Unique("init-stop");
        await daemon.DockerAsync("run", "-d", "--init", "--name", name, "busybox", "sleep", "300");
        Assert.Equal("true", await InspectAsync(daemon, "{{.HostConfig.Init}}", name));
        var started = DateTime.UtcNow;
        Assert.Equal(0, (await daemon.DockerAsync("stop", name)).ExitCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "stop under --init must not wait for the timeout");
        Assert.Equal("143", await InspectAsync(daemon, "{{.State.ExitCode}}", name));
        await daemon.DockerAsync("rm", name);

        var viaWharf = Unique("wharf-init");
        Assert.Equal(0, (await daemon.WharfAsync("run", "-d", "--init", "--name", viaWharf, "busybox", "sleep", "300")).ExitCode);
        var wharfPid1 = await InspectAsync(daemon, "{{.State.Pid}}", viaWharf);
        Assert.Equal("docker-init\n", await File.ReadAllTextAsync($"/proc/{wharfPid1}/comm"));
        await daemon.DockerAsync("rm", "-f", viaWharf);
        var without = Unique("no-init");
        await daemon.DockerAsync("run", "-d", "--name", without, "busybox", "sleep", "300");
        Assert.Equal("sleep\n", await File.ReadAllTextAsync($"/proc/{await InspectAsync(daemon, "{{.State.Pid}}", without)}/comm"));
        await daemon.DockerAsync("rm", "-f", without);
    }

    /// <summary>Zombie (state Z) processes whose parent is <paramref name="parent"/>, from the host's /proc.</summary>
    private static List<int> ZombieChildrenOf(int parent)
    {
        var zombies = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            // "pid (comm) S ppid ...": comm may contain spaces, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z" && fields[1] == parent.ToString()) zombies.Add(pid);
        }
        return zombies;
    }
}
