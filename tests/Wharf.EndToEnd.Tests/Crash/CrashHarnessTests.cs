using Xunit.Abstractions;

namespace Wharf.EndToEnd.Tests.Crash;

/// <summary>issue 17's crash harness: a bounded mixed workload (run, run --rm, create/start, rm -f, stop, network
/// connect, volumes) from a few clients at once against a real wharfd, SIGKILLed at a random point of each round
/// (fixed seed), restarted; then nothing may be left that belongs to no running container, and every container's
/// state must be what the kernel shows. The orphan counts per kind are printed for each round.</summary>
public sealed class CrashHarnessTests : IAsyncLifetime
{
    private const int Seed = 17;
    private const int Rounds = 4;
    private const int Clients = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly string _cgroupParent;
    private readonly DaemonFixture _daemon;
    private readonly List<string> _containers = [];
    private readonly Lock _gate = new();

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
        var total = new OrphanCounts(0, 0, 0, 0, 0, 0, 0);
        var failures = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(i => WorkAsync(new Random(Seed * 100 + round * 10 + i), round, i, stop.Token)).ToArray();
            await Task.Delay(random.Next(400, 1800));
            await _daemon.KillDaemonAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
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
            CommandResult result;
            try
            {
                result = await CommandRunner.RunAsync(TestBinaries.Docker, args, _daemon.Env, timeout: TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                continue;
            }
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
