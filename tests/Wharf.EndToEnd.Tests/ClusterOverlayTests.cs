using System.Diagnostics;
using System.Globalization;

namespace Wharf.EndToEnd.Tests;

/// <summary>Overlay networks across the three hosts of scripts/cluster-up.sh (issue 18 §2–§4, §7): a network made
/// on one host is seen and used on the others, containers on different hosts reach each other by address and by
/// name, a 100 MB transfer arrives intact, a removed endpoint is gone from the other hosts within about a second,
/// a container reaches the outside through its host's gateway bridge unless its network is --internal, and a
/// removed network leaves nothing in etcd. Every packet stays inside the namespaces the harness makes (the
/// underlay 10.99.0.0/24 and the overlay subnet exist only there). One cluster serves every test of the class
/// (<see cref="ClusterFixture"/>; the fault drills are in ClusterOverlayTests.Faults.cs).
/// Needs root, published binaries, etcd-server and WHARF_BUSYBOX_TAR.</summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterOverlayTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Subnet = "10.240.0.0/24";
    private readonly string _state = cluster.State;

    [Fact]
    public async Task OverlayAcrossThreeHosts_SeenEverywhere_PingByAddressAndName_100MBIntact_EndpointGoneFast_RemovedEverywhere()
    {
        // 1. Created on host 1, seen on 2 and 3 (SCOPE global), inspectable there.
        var create = await Docker(1, "network", "create", "-d", "overlay", "--subnet", Subnet, "--label", "made-on=h1", "ov");
        Assert.True(create.ExitCode == 0, create.ToString());
        var id = create.Stdout.Trim();
        foreach (var host in new[] { 2, 3 })
        {
            var listed = await Eventually(async () =>
            {
                var ls = await Docker(host, "network", "ls", "--format", "{{.ID}} {{.Name}} {{.Driver}} {{.Scope}}");
                return ls.Stdout.Contains($"{id[..12]} ov overlay global", StringComparison.Ordinal) ? ls : null;
            }, TimeSpan.FromSeconds(10));
            Assert.NotNull(listed);
            var inspect = await Docker(host, "network", "inspect", "--format", "{{.Id}} {{.Scope}} {{(index .IPAM.Config 0).Subnet}} {{index .Labels \"made-on\"}}", "ov");
            Assert.Equal($"{id} global {Subnet} h1", inspect.Stdout.Trim());
        }

        // No endpoint anywhere yet: no overlay links on any host.
        for (var host = 1; host <= 3; host++) Assert.DoesNotContain("vx-" + id[..12], await Links(host), StringComparison.Ordinal);

        // 2. A container per host on the network; each host's data plane appears with its first endpoint.
        for (var host = 1; host <= 3; host++)
        {
            var run = await Docker(host, "run", "-d", "--pull", "never", "--name", $"c{host}", "--network", "ov", "--network-alias", $"alias{host}", "busybox", "sleep", "3600");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("vx-" + id[..12], await Links(host), StringComparison.Ordinal);
        }

        var addresses = new Dictionary<int, string>();
        for (var host = 1; host <= 3; host++)
            addresses[host] = (await Docker(host, "inspect", "--format", "{{(index .NetworkSettings.Networks \"ov\").IPAddress}}", $"c{host}")).Stdout.Trim();
        Assert.Equal(3, addresses.Values.Distinct().Count());

        // Every pair across hosts, by address, then by container name and by alias (the embedded DNS of the asking
        // container's host, fed from the endpoint directory in etcd).
        for (var from = 1; from <= 3; from++)
            for (var to = 1; to <= 3; to++)
            {
                if (from == to) continue;
                await AssertPings(from, addresses[to]);
                await AssertPings(from, $"c{to}");
                await AssertPings(from, $"alias{to}");
            }

        // Outbound (docker_gwbridge-style): the default route is a second interface on the host's gateway bridge,
        // masqueraded; the "outside" is the harness's underlay bridge (10.99.0.1, in the namespace the harness made).
        var routes = await Docker(1, "exec", "c1", "ip", "route");
        Assert.Contains("default via", routes.Stdout, StringComparison.Ordinal);
        Assert.Contains("dev gwbridge0", routes.Stdout, StringComparison.Ordinal);
        await AssertPings(1, "10.99.0.1");
        // An --internal overlay network gets no way out.
        Assert.Equal(0, (await Docker(2, "network", "create", "-d", "overlay", "--internal", "--subnet", "10.243.0.0/24", "ovi")).ExitCode);
        var sealedRun = await Docker(2, "run", "-d", "--pull", "never", "--name", "i2", "--network", "ovi", "busybox", "sleep", "3600");
        Assert.True(sealedRun.ExitCode == 0, sealedRun.ToString());
        Assert.DoesNotContain("gwbridge0", (await Docker(2, "exec", "i2", "ip", "link")).Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, (await Docker(2, "exec", "i2", "ping", "-c", "1", "-W", "1", "10.99.0.1")).ExitCode);
        Assert.Equal(0, (await Docker(2, "rm", "-f", "i2")).ExitCode);
        Assert.NotNull(await Eventually(async () => (await Docker(2, "network", "rm", "ovi")) is { ExitCode: 0 } r ? r : null, TimeSpan.FromSeconds(10)));

        // Names of the network only: a name no host has is not found.
        var unknown = await Docker(1, "exec", "c1", "nslookup", "nosuchcontainer");
        Assert.NotEqual(0, unknown.ExitCode);

        // 3. 100 MB from host 1 to host 2, checksummed on both ends. The receiver's stdin is a FIFO it holds open
        // itself (busybox nc ends when its stdin does).
        var receiver = await Docker(2, "run", "-d", "--pull", "never", "--name", "rx", "--network", "ov", "busybox", "sh", "-c",
            "mkfifo /tmp/p; exec 3<>/tmp/p; nc -l -p 5000 <&3 | sha256sum > /tmp/sum.part; mv /tmp/sum.part /tmp/sum; sleep 3600");
        Assert.True(receiver.ExitCode == 0, receiver.ToString());
        Assert.NotNull(await Eventually(async () => (await Docker(2, "exec", "rx", "sh", "-c", "netstat -ltn | grep -q ':5000 '")).ExitCode == 0 ? "up" : null, TimeSpan.FromSeconds(10)));
        var watch = Stopwatch.StartNew();
        var send = await Docker(1, "exec", "c1", "sh", "-c", "head -c 104857600 /dev/urandom > /tmp/src && sha256sum < /tmp/src && nc rx 5000 < /tmp/src && rm /tmp/src");
        Assert.True(send.ExitCode == 0, send.ToString());
        var received = await Eventually(async () => (await Docker(2, "exec", "rx", "cat", "/tmp/sum")) is { ExitCode: 0 } r ? r.Stdout : null, TimeSpan.FromSeconds(60));
        watch.Stop();
        Assert.Equal(send.Stdout.Split(' ')[0].Trim(), received!.Split(' ')[0].Trim());
        Console.WriteLine($"overlay: 100 MB host 1 -> host 2 in {watch.Elapsed.TotalSeconds:F1} s (with generating and hashing)");

        // 4. An endpoint removed on host 1 is gone from host 2's VXLAN device within about a second.
        var vxlan = "vx-" + id[..12];
        Assert.Contains(addresses[1], await Neighbours(2, vxlan), StringComparison.Ordinal);
        var remove = await Docker(1, "rm", "-f", "c1");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        var gone = Stopwatch.StartNew();
        Assert.NotNull(await Eventually(async () => (await Neighbours(2, vxlan)).Contains(addresses[1], StringComparison.Ordinal) ? null : "gone", TimeSpan.FromSeconds(5)));
        gone.Stop();
        Console.WriteLine($"overlay: endpoint removal on host 1 seen on host 2 after {gone.ElapsedMilliseconds} ms");
        Assert.True(gone.Elapsed < TimeSpan.FromSeconds(1.5), $"the removed endpoint was still programmed on host 2 after {gone.ElapsedMilliseconds} ms");
        // Host 1 had no other endpoint on the network: its data plane is gone.
        Assert.NotNull(await Eventually(async () => (await Links(1)).Contains(vxlan, StringComparison.Ordinal) ? null : "gone", TimeSpan.FromSeconds(5)));

        // 5. Removal: refused from any host while one has endpoints; then gone everywhere, no key left in etcd.
        var refused = await Docker(1, "network", "rm", "ov");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("has active endpoints", refused.Stderr, StringComparison.Ordinal);
        foreach (var (host, name) in new[] { (2, "c2"), (2, "rx"), (3, "c3") })
            Assert.Equal(0, (await Docker(host, "rm", "-f", name)).ExitCode);
        var removed = await Eventually(async () => (await Docker(3, "network", "rm", "ov")) is { ExitCode: 0 } r ? r : null, TimeSpan.FromSeconds(10));
        Assert.NotNull(removed);
        foreach (var host in new[] { 1, 2 })
            Assert.NotNull(await Eventually(async () => (await Docker(host, "network", "ls", "--format", "{{.Name}}")).Stdout.Split('\n').Contains("ov") ? null : "gone", TimeSpan.FromSeconds(10)));
        Assert.Equal(["wharf/nodes/10.99.0.11", "wharf/nodes/10.99.0.12", "wharf/nodes/10.99.0.13"], await KeysAsync("wharf/"));
        for (var host = 1; host <= 3; host++) Assert.DoesNotContain(id[..12], await Links(host), StringComparison.Ordinal);
    }

    private async Task AssertPings(int host, string target)
    {
        var ping = await Docker(host, "exec", $"c{host}", "ping", "-c", "1", "-W", "2", target);
        if (ping.ExitCode != 0) ping = await Docker(host, "exec", $"c{host}", "ping", "-c", "1", "-W", "2", target); // first ARP/DNS round may race
        Assert.True(ping.ExitCode == 0, $"host {host} -> {target}: {ping}");
    }

    private Task<CommandResult> Docker(int host, params string[] args) =>
        CommandRunner.RunAsync(TestBinaries.Docker, args,
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix://" + Path.Combine(_state, $"h{host}", "wharf.sock") }, timeout: TimeSpan.FromMinutes(2));

    private static async Task<string> Links(int host) =>
        (await RunAsync("nsenter", [$"--net=/run/netns/whc-h{host}", "ip", "-o", "link", "show"], TimeSpan.FromSeconds(20))).Stdout;

    private static async Task<string> Neighbours(int host, string link) =>
        (await RunAsync("nsenter", [$"--net=/run/netns/whc-h{host}", "ip", "neigh", "show", "dev", link], TimeSpan.FromSeconds(20))).Stdout;

    private static async Task<List<string>> KeysAsync(string prefix)
    {
        var result = await RunAsync("nsenter",
            ["--net=/run/netns/whc-ul", "env", "ETCDCTL_API=3", "etcdctl", "--endpoints", "10.99.0.1:2379", "get", "--prefix", "--keys-only", prefix],
            TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<T?> Eventually<T>(Func<Task<T?>> probe, TimeSpan within)
        where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(50);
        }
    }

    private static Task<CommandResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout) =>
        CommandRunner.RunAsync(file, args, new Dictionary<string, string>(), timeout: timeout);
}
