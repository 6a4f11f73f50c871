using System.Diagnostics;

namespace Wharf.EndToEnd.Tests;

/// <summary>scripts/cluster-up.sh and cluster-down.sh (issue 18 §6): three wharfd hosts in namespaces of their own
/// on a private underlay, registered in the harness's etcd; a host that dies leaves the cluster when its lease runs
/// out; cluster-down leaves nothing behind. Needs root (CI is root), published binaries and etcd-server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterHarnessTests : IAsyncLifetime
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "wharf-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    private static string Script(string name) => Path.Combine(TestBinaries.RepoRoot, "scripts", name);

    public Task InitializeAsync() => Task.CompletedTask;

    // Runs even when the test failed half-way: the down script is safe on a half-made cluster.
    public async Task DisposeAsync() => await RunAsync("bash", [Script("cluster-down.sh"), "--state", _state], TimeSpan.FromMinutes(2));

    [Fact]
    public async Task ClusterUp_ThreeHosts_RegisterAndDeadHostLeavesAndDownRemovesEverything()
    {
        var up = new List<string> { Script("cluster-up.sh"), "--bin", TestBinaries.Dir, "--state", _state };
        if (Environment.GetEnvironmentVariable("WHARF_BUSYBOX_TAR") is { Length: > 0 } image) up.AddRange(["--image", image]);

        var started = await RunAsync("bash", up, TimeSpan.FromMinutes(4));
        Assert.True(started.ExitCode == 0, started.Output + started.Error);

        for (var k = 1; k <= 3; k++)
        {
            var info = await RunAsync("curl", ["-fsS", "--unix-socket", Socket(k), "http://localhost/info"], TimeSpan.FromSeconds(30));
            Assert.Contains("\"ClusterStore\":\"etcd://10.99.0.1:2379\"", info.Output, StringComparison.Ordinal);
            Assert.Contains($"\"ClusterAdvertise\":\"10.99.0.1{k}\"", info.Output, StringComparison.Ordinal);
        }

        Assert.Equal(["wharf/nodes/10.99.0.11", "wharf/nodes/10.99.0.12", "wharf/nodes/10.99.0.13"], await NodesAsync());
        if (up.Contains("--image"))
        {
            var run = await CommandRunner.RunAsync(TestBinaries.Docker, ["run", "--rm", "busybox", "true"],
                new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + Socket(2) }, timeout: TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        }

        // Host 3 dies: its node key goes when the lease (10 s) runs out.
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(_state, "h3", "wharfd.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Process.GetProcessById(pid).Kill();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await NodesAsync()).Count != 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the dead host's node key is still there after 30 s");
            await Task.Delay(500);
        }

        Assert.DoesNotContain("wharf/nodes/10.99.0.13", await NodesAsync());

        var down = await RunAsync("bash", [Script("cluster-down.sh"), "--state", _state], TimeSpan.FromMinutes(2));
        Assert.True(down.ExitCode == 0, down.Output + down.Error);
        Assert.False(Directory.Exists(_state));
        var namespaces = await RunAsync("ip", ["netns", "list"], TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("whc-", namespaces.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mounts"), line => line.Contains(_state, StringComparison.Ordinal));
        Assert.DoesNotContain(Process.GetProcesses(), p => CommandLine(p).Contains(_state, StringComparison.Ordinal));
    }

    private string Socket(int host) => Path.Combine(_state, $"h{host}", "wharf.sock");

    private static async Task<List<string>> NodesAsync()
    {
        var result = await RunAsync("nsenter",
            ["--net=/run/netns/whc-ul", "env", "ETCDCTL_API=3", "etcdctl", "--endpoints", "10.99.0.1:2379", "get", "--prefix", "--keys-only", "wharf/nodes/"],
            TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var result = await CommandRunner.RunAsync(file, args, new Dictionary<string, string>(), timeout: timeout);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
