using Xunit.Abstractions;

namespace Wharf.EndToEnd.Tests.Crash;

/// <summary>issue 17's crash harness: a bounded mixed workload (run, run --rm, create/start, rm -f, stop, network
/// connect, volumes) from a few clients at once against a real wharfd, SIGKILLed at a random point of each round
/// (fixed seed), restarted; then nothing may be left that belongs to no running container, and every container's
/// state must be what the kernel shows. The orphan counts per kind are printed for each round.</summary>
public sealed class CrashHarnessTests : IAsyncLifetime
{
    private const int Seed = 17;
    private const int Rounds = 6;
    private const int Clients = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly string _cgroupParent;
    private readonly DaemonFixture _daemon;
    private readonly List<string> _containers = [];
    private readonly Lock _gate = new();
    private int _attempted;
    private int _succeeded;

    public CrashHarnessTests(ITestOutputHelper output)
    {
        _output = output;
        // A cgroup parent of its own, so that cgroups are counted for this daemon only (test daemons run side by side).
        _cgroupParent = "wharf-crash-" + Guid.NewGuid().ToString("N")[..8];
        _daemon = new DaemonFixture { ExtraDaemonArgs = $"--cgroup-parent '{_cgroupParent}'" };
    }

    private readonly ITestOutputHelper _output;

    public Task InitializeAsync() => _daemon.InitializeAsync();

    public async Task DisposeAsync()
    {
        try { await _daemon.DisposeAsync(); }
        finally { OrphanCensus.RemoveCgroupParent(_cgroupParent); }
    }

    [Fact]
    public async Task RandomKills_DuringMixedWork_LeaveNoOrphansAndTrueStates()
    {
        var random = new Random(Seed);
        var census = new OrphanCensus(_daemon, "/" + _cgroupParent);
        Assert.Equal(0, (await _daemon.DockerAsync("network", "create", "crash-a")).ExitCode);
        Assert.Equal(0, (await _daemon.DockerAsync("network", "create", "crash-b")).ExitCode);
        await CensusSeesLeftoversAsync(census);
        var total = new OrphanCounts(0, 0, 0, 0, 0, 0, 0);
        var failures = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(i => WorkAsync(new Random(Seed * 100 + round * 10 + i), round, i, stop.Token)).ToArray();
            await Task.Delay(random.Next(500, 2500));
            var running = (await _daemon.DockerAsync("ps", "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            await _daemon.KillDaemonAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
            _output.WriteLine($"round {round}: killed with {running} containers running; {_succeeded}/{_attempted} operations succeeded so far");
            await _daemon.StartDaemonAsync();

            // Shims of containers that ended just before the kill leave within their 2 s grace: wait for the count
            // to reach zero, at most Settle.
            var deadline = DateTime.UtcNow + Settle;
            var counts = await census.TakeAsync();
            while (counts.Total > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                counts = await census.TakeAsync();
            }
            _output.WriteLine($"round {round}: {counts}");
            foreach (var detail in census.Details) _output.WriteLine("  " + detail);
            if (counts.Total > 0) failures.Add($"round {round}: {counts}\n  " + string.Join("\n  ", census.Details));
            total = total.Add(counts);

            // A container left "created" by the crash starts at once, with one shim.
            var created = (await _daemon.DockerAsync("ps", "-aq", "--no-trunc", "--filter", "status=created")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (created.Length > 0)
            {
                var started = DateTime.UtcNow;
                var start = await CommandRunner.RunAsync(TestBinaries.Docker, ["start", created[0]], _daemon.Env, timeout: TimeSpan.FromSeconds(20));
                var took = DateTime.UtcNow - started;
                _output.WriteLine($"round {round}: docker start of a created container: exit {start.ExitCode} in {took.TotalMilliseconds:F0} ms");
                if (took > TimeSpan.FromSeconds(10)) failures.Add($"round {round}: docker start took {took}");
                if (census.ShimProcesses().Count(s => s.Id == created[0]) > 1) failures.Add($"round {round}: two shims for {created[0]}");
            }
            await TrimAsync();
        }
        _output.WriteLine($"all rounds: {total}");
        Console.WriteLine($"crash harness ({Rounds} rounds, seed {Seed}): orphans {total}");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + Tail(_daemon.DaemonLog()));
    }

    /// <summary>The census is not blind: a netns pin and a shim left by hand are counted, then removed.</summary>
    private async Task CensusSeesLeftoversAsync(OrphanCensus census)
    {
        var id = new string('e', 64);
        var pin = Path.Combine(_daemon.ExecRoot, "netns", id);
        Directory.CreateDirectory(Path.GetDirectoryName(pin)!);
        File.WriteAllText(pin, "");
        var stateDir = Path.Combine(_daemon.ExecRoot, "containers", id);
        Directory.CreateDirectory(stateDir);
        var none = new Dictionary<string, string>();
        Assert.Equal(0, (await CommandRunner.RunAsync("unshare", [$"--net={pin}", "true"], none)).ExitCode);
        using var shim = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(TestBinaries.Shim,
            ["--id", id, "--bundle", stateDir, "--state-dir", stateDir, "--runtime", "runc", "--runtime-root", Path.Combine(_daemon.ExecRoot, "runc"),
             "--log", Path.Combine(stateDir, "log.json")]) { UseShellExecute = false })!;
        try
        {
            await Task.Delay(300);
            var counts = await census.TakeAsync();
            _output.WriteLine($"census self-check (one netns pin, one shim made by hand): {counts}");
            Assert.Equal(1, counts.NetnsMounts);
            Assert.Equal(1, counts.Shims);
        }
        finally
        {
            shim.Kill();
            await shim.WaitForExitAsync();
            await CommandRunner.RunAsync("umount", [pin], none);
            File.Delete(pin);
            Directory.Delete(stateDir, recursive: true);
        }
    }

    /// <summary>One client's random mix until the daemon dies under it; every error is expected once it has.</summary>
    private async Task WorkAsync(Random random, int round, int client, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            n++;
            var name = $"c{round}-{client}-{n}";
            string[] args = random.Next(9) switch
            {
                0 or 1 => ["run", "-d", "--name", name, "--network", "crash-a", "-v", $"vol{client}:/data", "busybox", "sleep", "600"],
                2 => ["run", "--rm", "--network", "crash-b", "busybox", "true"],
                3 => ["create", "--name", name, "--network", "crash-b", "busybox", "sleep", "600"],
                4 => ["start", Pick(random) ?? name],
                5 => ["rm", "-f", Pick(random) ?? name],
                6 => ["network", "connect", "crash-b", Pick(random) ?? name],
                7 => ["stop", "-t", "0", Pick(random) ?? name],
                _ => random.Next(2) == 0 ? ["volume", "create", $"v{round}-{client}-{n}"] : ["volume", "rm", $"v{round}-{client}-{n - 1}"],
            };
            Interlocked.Increment(ref _attempted);
            CommandResult result;
            try
            {
                result = await CommandRunner.RunAsync(TestBinaries.Docker, args, _daemon.Env, timeout: TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                continue;
            }
            if (result.ExitCode == 0) Interlocked.Increment(ref _succeeded);
            if (result.ExitCode == 0 && args[0] is "run" or "create" && args.Contains("--name"))
                lock (_gate) _containers.Add(name);
        }
    }

    private string? Pick(Random random)
    {
        lock (_gate) return _containers.Count == 0 ? null : _containers[random.Next(_containers.Count)];
    }

    /// <summary>Keeps the workload bounded: at most a dozen containers carried into the next round.</summary>
    private async Task TrimAsync()
    {
        var ids = (await _daemon.DockerAsync("ps", "-aq", "--no-trunc")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in ids.Skip(12)) await _daemon.DockerAsync("rm", "-f", id);
    }

    private static string Tail(string log) => log[^Math.Min(4000, log.Length)..];
}
