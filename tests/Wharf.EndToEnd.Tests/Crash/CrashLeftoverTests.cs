using System.Diagnostics;

namespace Wharf.EndToEnd.Tests.Crash;

/// <summary>Leftovers of a SIGKILLed wharfd seen in issue 17, each made by hand exactly as the crash leaves it, then
/// reconciled by the restarted daemon. Each test has its own daemon and removes what it made.</summary>
public sealed class CrashLeftoverTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();
    private readonly List<int> _spawned = [];

    public Task InitializeAsync() => _daemon.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var pid in _spawned)
        {
            try { Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { /* gone, as it should be */ }
            catch (InvalidOperationException) { }
        }
        await _daemon.DisposeAsync();
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await _daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}");
        return r.Stdout.Trim();
    }

    [Fact]
    public async Task Restart_ShimLaunchedButNeverStarted_IsSentAwayAndStartIsPromptWithOneShim()
    {
        var id = await OkAsync("create", "busybox", "sleep", "300");
        // What a daemon killed between the shim's launch and the start request leaves: a shim waiting for a start.
        var stateDir = Path.Combine(_daemon.ExecRoot, "containers", id);
        Directory.CreateDirectory(stateDir);
        var shim = Process.Start(new ProcessStartInfo(TestBinaries.Shim,
            ["--id", id, "--bundle", stateDir, "--state-dir", stateDir, "--runtime", "runc", "--runtime-root", Path.Combine(_daemon.ExecRoot, "runc"),
             "--log", Path.Combine(_daemon.DataRoot, "containers", id, id + "-json.log")]) { UseShellExecute = false })!;
        _spawned.Add(shim.Id);
        var census = new OrphanCensus(_daemon, null);
        await WaitUntilAsync(() => File.Exists(Path.Combine(stateDir, "shim.pid")));

        await _daemon.KillDaemonAsync();
        await _daemon.StartDaemonAsync();

        await WaitUntilAsync(() => shim.HasExited);
        var watch = Stopwatch.StartNew();
        await OkAsync("start", id);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"docker start took {watch.Elapsed}");
        Assert.Single(census.ShimProcesses(), s => s.Id == id);
        Assert.Equal("running", await OkAsync("inspect", "-f", "{{.State.Status}}", id));
    }

    [Fact]
    public async Task Restart_NetnsPinnedForAContainerNeverRegistered_IsUnmounted()
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var pin = Path.Combine(_daemon.ExecRoot, "netns", id);
        Directory.CreateDirectory(Path.GetDirectoryName(pin)!);
        File.WriteAllText(pin, "");
        var unshare = await CommandRunner.RunAsync("unshare", [$"--net={pin}", "true"], new Dictionary<string, string>());
        Assert.True(unshare.ExitCode == 0, unshare.ToString());
        Assert.Contains(pin, OrphanCensus.MountPoints());

        await _daemon.KillDaemonAsync();
        await _daemon.StartDaemonAsync();

        await WaitUntilAsync(() => !OrphanCensus.MountPoints().Contains(pin));
        Assert.False(File.Exists(pin));
    }

    [Fact]
    public async Task Restart_ContainerWhoseRecordWentInsideRm_LeavesNoEndpointShimNetnsOrMount()
    {
        await OkAsync("network", "create", "gone-net");
        var id = await OkAsync("run", "-d", "--network", "gone-net", "busybox", "sleep", "300");
        await _daemon.KillDaemonAsync();
        // The daemon died inside rm after the record's directory went.
        Directory.Delete(Path.Combine(_daemon.DataRoot, "containers", id), recursive: true);
        await _daemon.StartDaemonAsync();

        var census = new OrphanCensus(_daemon, null);
        await WaitUntilAsync(() => census.ShimProcesses().All(s => s.Id != id));
        await WaitUntilAsync(() => !OrphanCensus.MountPoints().Any(m => m.Contains(id, StringComparison.Ordinal)));
        await OkAsync("network", "rm", "gone-net"); // not "has active endpoints"
        var counts = await census.TakeAsync();
        Assert.True(counts.Total == 0, counts + "\n" + string.Join("\n", census.Details));
    }

    [Fact]
    public async Task NoCrash_StartsCutShortByTheClientAndRmRacingStart_LeaveNoShim()
    {
        // The docker-py run that left two shims without child or container: starts whose client hung up (or timed out)
        // while the shim was being launched, and removals racing starts.
        var ids = new List<string>();
        for (var i = 0; i < 16; i++) ids.Add(await OkAsync("create", "busybox", "sleep", "300"));
        var races = ids.Select(async (id, i) =>
        {
            using var client = _daemon.CreateHttpClient();
            client.Timeout = TimeSpan.FromMilliseconds(5 + 7 * i);
            var start = client.PostAsync($"containers/{id}/start", null);
            if (i % 2 == 0) await _daemon.DockerAsync("rm", "-f", id);
            try { (await start).Dispose(); }
            catch (TaskCanceledException) { /* the cut we want */ }
            catch (HttpRequestException) { }
        });
        await Task.WhenAll(races);
        foreach (var id in ids) await _daemon.DockerAsync("rm", "-f", id);

        var census = new OrphanCensus(_daemon, null);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (census.ShimProcesses().Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Empty(census.ShimProcesses());
        Assert.Empty(await OkAsync("ps", "-aq"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 15 s");
            await Task.Delay(50);
        }
    }
}
