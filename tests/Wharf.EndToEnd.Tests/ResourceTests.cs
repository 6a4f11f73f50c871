using System.Globalization;

namespace Wharf.EndToEnd.Tests;

/// <summary>Resource limits, update, stats, top, pause/unpause and OOM, with the real docker CLI and with wharf
/// against a real wharfd. Limits are checked where the kernel applies them: the container's cgroup files.</summary>
[Collection(DaemonCollection.Name)]
public sealed class ResourceTests(DaemonFixture daemon)
{
    private static readonly bool Unified = File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private static string CgroupFile(string controller, string id, string v1File, string v2File) =>
        Unified ? $"/sys/fs/cgroup/wharf/{id}/{v2File}" : $"/sys/fs/cgroup/{controller}/wharf/{id}/{v1File}";

    private static string Read(string path) => File.ReadAllText(path).Trim();

    private static string NewName(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private async Task<string> IdOf(string name) => (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", name)).Stdout.Trim();

    [Fact]
    public async Task Docker_LimitsUpdateStatsTopPause_WorkOnALiveContainer()
    {
        var name = NewName("res");
        try
        {
            var run = await daemon.DockerAsync("run", "-d", "--name", name, "-m", "32m", "--cpus", "0.5", "--pids-limit", "50",
                "--cpuset-cpus", "0", "--cpu-shares", "512", "--shm-size", "10m", "--ulimit", "nofile=100:200", "busybox", "sleep", "300");
            Assert.True(run.ExitCode == 0, run.ToString());
            var id = await IdOf(name);

            // Limits reach the cgroup and inspect shows them (swap defaults to twice the memory, as Docker stores it).
            Assert.Equal((32 << 20).ToString(CultureInfo.InvariantCulture), Read(CgroupFile("memory", id, "memory.limit_in_bytes", "memory.max")));
            Assert.Equal("50", Read(CgroupFile("pids", id, "pids.max", "pids.max")));
            if (!Unified)
            {
                Assert.Equal("50000", Read(CgroupFile("cpu", id, "cpu.cfs_quota_us", "")));
                Assert.Equal("512", Read(CgroupFile("cpu", id, "cpu.shares", "")));
            }
            var hc = await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpusetCpus}} {{.HostConfig.ShmSize}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}}", name);
            Assert.Equal($"{32 << 20} {64 << 20} 500000000 50 0 {10 << 20} nofile=100:200\n", hc.Stdout);
            // The container's init carries the ulimit (soft 100, hard 200). An exec is checked on its hard limit only:
            // runc 1.1.5 applies an exec's soft limit as the hard one.
            var inside = await daemon.DockerAsync("exec", name, "sh", "-c", "grep 'open files' /proc/1/limits; ulimit -Hn; df -k /dev/shm | tail -1");
            Assert.True(inside.ExitCode == 0, inside.ToString());
            Assert.Matches(@"^Max open files\s+100\s+200\s+files\s*\n200\nshm\s+10240\s", inside.Stdout);

            // docker update applies live and persists.
            var update = await daemon.DockerAsync("update", "-m", "48m", "--memory-swap", "96m", "--pids-limit", "20", name);
            Assert.True(update.ExitCode == 0, update.ToString());
            Assert.Equal((48 << 20).ToString(CultureInfo.InvariantCulture), Read(CgroupFile("memory", id, "memory.limit_in_bytes", "memory.max")));
            Assert.Equal("20", Read(CgroupFile("pids", id, "pids.max", "pids.max")));
            var updated = await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}}", name);
            Assert.Equal($"{48 << 20} {96 << 20} 20\n", updated.Stdout);
            var tooBig = await daemon.DockerAsync("update", "-m", "200m", name);
            Assert.NotEqual(0, tooBig.ExitCode);
            Assert.Contains("Memory limit should be smaller than already set memoryswap limit", tooBig.Stderr);

            // docker stats: the CLI's own table, with the new limit and one process.
            var stats = await daemon.DockerAsync("stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.PIDs}}|{{.CPUPerc}}", name);
            Assert.True(stats.ExitCode == 0, stats.ToString());
            var columns = stats.Stdout.Trim().Split('|');
            Assert.Equal(name, columns[0]);
            Assert.EndsWith(" / 48MiB", columns[1]);
            Assert.Equal("1", columns[2]);
            Assert.Matches(@"^\d+\.\d\d%$", columns[3]);

            // docker top: default columns, and ps options.
            var top = await daemon.DockerAsync("top", name);
            Assert.True(top.ExitCode == 0, top.ToString());
            Assert.Matches(@"^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD\n", top.Stdout);
            Assert.Contains("sleep 300", top.Stdout);
            Assert.Equal(2, top.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            var topAux = await daemon.DockerAsync("top", name, "-o", "pid,comm");
            Assert.True(topAux.ExitCode == 0, topAux.ToString());
            Assert.Matches(@"^PID\s+COMMAND\n\d+\s+sleep\n$", topAux.Stdout);

            // pause / unpause with Docker's states, ps text and 409s.
            Assert.Equal(0, (await daemon.DockerAsync("pause", name)).ExitCode);
            Assert.Equal("paused true\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name)).Stdout);
            if (!Unified) Assert.Equal("FROZEN", Read($"/sys/fs/cgroup/freezer/wharf/{id}/freezer.state"));
            Assert.Contains("(Paused)", (await daemon.DockerAsync("ps", "--filter", "name=" + name, "--format", "{{.Status}}")).Stdout);
            var again = await daemon.DockerAsync("pause", name);
            Assert.Contains($"Container {id} is already paused", again.Stderr);
            Assert.Contains("cannot start a paused container, try unpause instead", (await daemon.DockerAsync("start", name)).Stderr);
            Assert.Equal(0, (await daemon.DockerAsync("unpause", name)).ExitCode);
            Assert.Equal("running false\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name)).Stdout);
            var notPaused = await daemon.DockerAsync("unpause", name);
            Assert.Contains($"Container {id} is not paused", notPaused.Stderr);

            // A paused container can still be removed by force (thawed, then killed).
            Assert.Equal(0, (await daemon.DockerAsync("pause", name)).ExitCode);
            var rm = await daemon.DockerAsync("rm", "-f", name);
            Assert.True(rm.ExitCode == 0, rm.ToString());
            // The shim removes the cgroup (runc delete) just after reporting the exit.
            var cgroupDir = Path.GetDirectoryName(CgroupFile("memory", id, "memory.limit_in_bytes", "memory.max"))!;
            for (var i = 0; i < 50 && Directory.Exists(cgroupDir); i++) await Task.Delay(100);
            Assert.False(Directory.Exists(cgroupDir));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task StatsApi_StreamAndOneShot_DockersJsonShape()
    {
        var name = NewName("stats");
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("run", "-d", "--name", name, "-m", "16m", "--pids-limit", "9", "busybox", "sh", "-c", "while true; do :; done")).ExitCode);
            using var http = daemon.CreateHttpClient();

            // Streaming: a document per second; from the second on, precpu_stats is the previous sample.
            using (var response = await http.GetAsync($"v1.50/containers/{name}/stats", HttpCompletionOption.ResponseHeadersRead))
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                using var first = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync())!);
                using var second = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync())!);
                var s = second.RootElement;
                Assert.Equal("/" + name, s.GetProperty("name").GetString());
                Assert.Equal(first.RootElement.GetProperty("read").GetString(), s.GetProperty("preread").GetString());
                var cpu = s.GetProperty("cpu_stats");
                var pre = s.GetProperty("precpu_stats");
                Assert.True(cpu.GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64() > pre.GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
                Assert.True(cpu.GetProperty("system_cpu_usage").GetUInt64() > pre.GetProperty("system_cpu_usage").GetUInt64());
                Assert.Equal((uint)Environment.ProcessorCount, cpu.GetProperty("online_cpus").GetUInt32());
                Assert.True(cpu.GetProperty("throttling_data").TryGetProperty("throttled_periods", out _));
                if (!Unified) Assert.Equal(Environment.ProcessorCount, cpu.GetProperty("cpu_usage").GetProperty("percpu_usage").GetArrayLength());
                var memory = s.GetProperty("memory_stats");
                Assert.Equal(16UL << 20, memory.GetProperty("limit").GetUInt64());
                Assert.True(memory.GetProperty("usage").GetUInt64() > 0);
                Assert.True(memory.GetProperty("stats").TryGetProperty(Unified ? "inactive_file" : "total_inactive_file", out _));
                Assert.Equal(1UL, s.GetProperty("pids_stats").GetProperty("current").GetUInt64());
                Assert.Equal(9UL, s.GetProperty("pids_stats").GetProperty("limit").GetUInt64());
                Assert.Equal(System.Text.Json.JsonValueKind.Array, s.GetProperty("blkio_stats").GetProperty("io_service_bytes_recursive").ValueKind);
                // The default bridge gives the container eth0; loopback is not reported, as in Docker.
                var networks = s.GetProperty("networks");
                Assert.True(networks.GetProperty("eth0").GetProperty("rx_bytes").GetUInt64() >= 0);
                Assert.False(networks.TryGetProperty("lo", out _));
            }

            // one-shot: at once, no previous sample.
            using var oneShot = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"v1.50/containers/{name}/stats?stream=false&one-shot=true"));
            Assert.Equal("0001-01-01T00:00:00Z", oneShot.RootElement.GetProperty("preread").GetString());
            Assert.True(oneShot.RootElement.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64() > 0);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Docker_MemoryHog_IsOomKilledWithEvent()
    {
        var name = NewName("oom");
        try
        {
            var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var run = await daemon.DockerAsync("run", "--name", name, "-m", "8m", "busybox", "sh", "-c", "x=a; while true; do x=$x$x; done");
            Assert.Equal(137, run.ExitCode);
            var state = await daemon.DockerAsync("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}} {{.State.Status}}", name);
            Assert.Equal("true 137 exited\n", state.Stdout);
            var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var events = await daemon.DockerAsync("events", "--since", since, "--until", until, "--filter", "container=" + name, "--filter", "event=oom", "--filter", "event=die", "--format", "{{.Action}}");
            Assert.Equal(["oom", "die"], events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            // A container that did not run out of memory is not marked.
            var normal = NewName("nooom");
            await daemon.DockerAsync("run", "--name", normal, "-m", "8m", "busybox", "true");
            Assert.Equal("false 0\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", normal)).Stdout);
            await daemon.DockerAsync("rm", "-f", normal);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Docker_BadResourceInput_400sAnd409sInDockersWords()
    {
        var tooSmall = await daemon.DockerAsync("run", "--rm", "-m", "1m", "busybox", "true");
        Assert.Equal(125, tooSmall.ExitCode);
        Assert.Contains("Minimum memory limit allowed is 6MB", tooSmall.Stderr);

        var swap = await daemon.DockerAsync("create", "-m", "32m", "--memory-swap", "16m", "busybox", "true");
        Assert.Contains("Minimum memoryswap limit should be larger than memory limit, see usage", swap.Stderr);

        var ulimit = await daemon.DockerAsync("run", "--rm", "--ulimit", "nofile=10:999999999", "busybox", "true");
        Assert.Equal(125, ulimit.ExitCode);
        Assert.Contains("invalid ulimit nofile: hard limit 999999999 exceeds the host's hard limit", ulimit.Stderr);

        var cpuset = await daemon.DockerAsync("create", "--cpuset-cpus", "0-999", "busybox", "true");
        Assert.Contains("Requested CPUs are not available - requested 0-999", cpuset.Stderr);

        var name = NewName("stopped");
        try
        {
            Assert.Equal(0, (await daemon.DockerAsync("create", "--name", name, "busybox", "true")).ExitCode);
            var id = await IdOf(name);
            Assert.Contains($"Container {id} is not running", (await daemon.DockerAsync("pause", name)).Stderr);
            Assert.Contains($"Container {id} is not paused", (await daemon.DockerAsync("unpause", name)).Stderr);
            Assert.Contains($"Container {id} is not running", (await daemon.DockerAsync("top", name)).Stderr);

            // A stopped container can be updated; the limits apply at its next start.
            Assert.Equal(0, (await daemon.DockerAsync("update", "--cpu-shares", "256", "--pids-limit", "7", name)).ExitCode);
            Assert.Equal("256 7\n", (await daemon.DockerAsync("inspect", "-f", "{{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}", name)).Stdout);
            var stats = await daemon.DockerAsync("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", name);
            Assert.True(stats.ExitCode == 0, stats.ToString());
            Assert.Equal($"{name} 0\n", stats.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }

    [Fact]
    public async Task Wharf_StatsTopPauseUpdate_MatchDocker()
    {
        var name = NewName("wres");
        try
        {
            var run = await daemon.WharfAsync("run", "-d", "--name", name, "-m", "24m", "--pids-limit", "30", "busybox", "sleep", "300");
            Assert.True(run.ExitCode == 0, run.ToString());
            var id = await IdOf(name);
            Assert.Equal((24 << 20).ToString(CultureInfo.InvariantCulture), Read(CgroupFile("memory", id, "memory.limit_in_bytes", "memory.max")));

            var stats = await daemon.WharfAsync("stats", "--no-stream", name);
            Assert.True(stats.ExitCode == 0, stats.ToString());
            var lines = stats.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS$", lines[0]);
            Assert.Matches($@"^{id[..12]}\s+{name}\s+\d+\.\d\d%\s+\S+ / 24MiB\s+\d+\.\d\d%\s+.+\s+1$", lines[1]);

            var top = await daemon.WharfAsync("top", name);
            Assert.True(top.ExitCode == 0, top.ToString());
            Assert.Contains("sleep 300", top.Stdout);

            Assert.Equal($"{name}\n", (await daemon.WharfAsync("pause", name)).Stdout);
            Assert.Equal("paused\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Status}}", name)).Stdout);
            Assert.Equal($"{name}\n", (await daemon.WharfAsync("unpause", name)).Stdout);

            var update = await daemon.WharfAsync("update", "--memory", "40m", "--memory-swap", "80m", name);
            Assert.True(update.ExitCode == 0, update.ToString());
            Assert.Equal((40 << 20).ToString(CultureInfo.InvariantCulture), Read(CgroupFile("memory", id, "memory.limit_in_bytes", "memory.max")));
            var noFlags = await daemon.WharfAsync("update", name);
            Assert.NotEqual(0, noFlags.ExitCode);
            Assert.Contains("you must provide one or more flags", noFlags.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name);
        }
    }
}
