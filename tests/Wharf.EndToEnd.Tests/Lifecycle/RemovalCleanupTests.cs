using System.Text.RegularExpressions;

namespace Wharf.EndToEnd.Tests.Lifecycle;

/// <summary>`docker rm -f` answers only when the removal is done, as Docker does: right after it returns, none of
/// the removed containers' veths, port rules, mounts or namespace pins is left in the kernel. And a container that
/// exits (without being removed) gives back its namespace and veth before `docker wait` / `docker stop` answer
/// (Docker releases the sandbox in its exit handling, before the container is marked stopped). The checks read the
/// kernel (ip link, iptables-save, /proc/self/mountinfo), not the daemon's word. A private daemon, so that no other
/// test's containers share the queue being measured.</summary>
public sealed class RemovalCleanupTests : IAsyncLifetime
{
    private const int Containers = 20;
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    [Fact]
    public async Task RmForce_OfManyContainersWithPublishedPorts_ReturnsAfterTheirVethsRulesMountsAndPinsAreGone()
    {
        var (network, bridge, gateway) = await CreateNetworkAsync();
        try
        {
            // Two bindings each: loopback (served by the proxy alone) and the bridge's own address, which gets
            // DNAT/ACCEPT/MASQUERADE rules while staying unreachable from outside the host.
            var names = Enumerable.Range(0, Containers).Select(i => $"rmc-{i}-{Guid.NewGuid().ToString("N")[..6]}").ToList();
            foreach (var chunk in names.Chunk(5))
                await Task.WhenAll(chunk.Select(name => OkAsync("run", "-d", "--pull", "never", "--name", name, "--network", network,
                    "-p", "127.0.0.1::80", "-p", $"{gateway}::81", "busybox", "sleep", "3600")));
            var ids = (await OkAsync(["inspect", "-f", "{{.Id}}", .. names])).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var ips = (await OkAsync(["inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", .. names]))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            Assert.Equal(Containers, ips.Count);
            var veths = await VethsOnAsync(bridge);
            Assert.Equal(Containers, veths.Count);
            // The state exists before removal (the checks below would otherwise prove nothing): rules wait for their
            // hold (see HeldPortRules) before they reach the kernel.
            await UntilAsync(async () => RulesMentioning(await IptablesSaveAsync(), ips).Count >= Containers, "every container's port rules are in the kernel");
            Assert.Equal(Containers, ids.Count(id => File.Exists(PinOf(id))));
            Assert.NotEmpty(MountsOf(ids));

            var rm = await OkAsync(["rm", "-f", .. names]);
            Assert.Equal(Containers, rm.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // Immediately: no waiting, no polling.
            var leftVeths = veths.Where(LinkExists).ToList();
            var leftRules = RulesMentioning(await IptablesSaveAsync(), ips);
            var leftMounts = MountsOf(ids);
            var leftPins = ids.Where(id => File.Exists(PinOf(id))).ToList();
            Assert.True(leftVeths.Count == 0 && leftRules.Count == 0 && leftMounts.Count == 0 && leftPins.Count == 0,
                $"right after rm -f returned: {leftVeths.Count} veths ({string.Join(' ', leftVeths)}), {leftRules.Count} rules:\n"
                + $"{string.Join('\n', leftRules)}\n{leftMounts.Count} mounts:\n{string.Join('\n', leftMounts)}\n{leftPins.Count} netns pins");
        }
        finally
        {
            await _daemon.DockerAsync("network", "rm", network);
        }
    }

    [Fact]
    public async Task ExitedContainer_HasGivenBackItsVethNetnsPinAndRules_WhenWaitAndStopAnswer()
    {
        var (network, bridge, gateway) = await CreateNetworkAsync();
        var self = $"exits-{Guid.NewGuid().ToString("N")[..6]}";
        var stopped = $"stopped-{Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            // One exits on its own (docker wait), one is stopped (docker stop): both are answered after the exit.
            var selfId = (await OkAsync("run", "-d", "--pull", "never", "--name", self, "--network", network, "-p", $"{gateway}::81",
                "busybox", "sh", "-c", "sleep 2")).Trim();
            var stoppedId = (await OkAsync("run", "-d", "--pull", "never", "--name", stopped, "--network", network, "-p", $"{gateway}::81",
                "busybox", "sleep", "3600")).Trim();
            var ips = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", self, stopped))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var veths = await VethsOnAsync(bridge);
            Assert.Equal(2, veths.Count);
            await UntilAsync(async () => RulesMentioning(await IptablesSaveAsync(), ips).Count >= 2, "both containers' port rules are in the kernel");

            Assert.Equal("0", (await OkAsync("wait", self)).Trim());
            Assert.Equal(stopped, (await OkAsync("stop", "-t", "0", stopped)).Trim());

            var leftVeths = veths.Where(LinkExists).ToList();
            var leftRules = RulesMentioning(await IptablesSaveAsync(), ips);
            string[] ids = [selfId, stoppedId];
            var leftPins = ids.Where(id => File.Exists(PinOf(id))).ToList();
            var leftMounts = MountsOf(ids);
            Assert.True(leftVeths.Count == 0 && leftRules.Count == 0 && leftPins.Count == 0 && leftMounts.Count == 0,
                $"exited containers still hold {leftVeths.Count} veths ({string.Join(' ', leftVeths)}), {leftRules.Count} rules:\n"
                + $"{string.Join('\n', leftRules)}\n{leftPins.Count} netns pins, mounts:\n{string.Join('\n', leftMounts)}");
            // Exited, not removed: they are still there, and start again with a fresh namespace.
            Assert.Equal("exited exited", (await OkAsync("inspect", "-f", "{{.State.Status}}", self, stopped)).Replace('\n', ' ').Trim());
            await OkAsync("start", stopped);
            Assert.Single(await VethsOnAsync(bridge));
        }
        finally
        {
            await _daemon.DockerAsync("rm", "-f", self, stopped);
            await _daemon.DockerAsync("network", "rm", network);
        }
    }

    private async Task<(string Network, string Bridge, string Gateway)> CreateNetworkAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var prefix = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";
        var network = "rmnet-" + suffix;
        var bridge = "wrm" + suffix;
        await OkAsync("network", "create", "--subnet", prefix + ".0/24", "--gateway", prefix + ".1",
            "-o", "com.docker.network.bridge.name=" + bridge, network);
        return (network, bridge, prefix + ".1");
    }

    private string PinOf(string id) => Path.Combine(_daemon.ExecRoot, "netns", id);

    /// <summary>Mount points under the daemon's roots that name one of <paramref name="ids"/>.</summary>
    private List<string> MountsOf(IReadOnlyCollection<string> ids) =>
        File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(m => (m.StartsWith(_daemon.ExecRoot + "/", StringComparison.Ordinal) || m.StartsWith(_daemon.DataRoot + "/", StringComparison.Ordinal))
                && ids.Any(id => m.Contains(id, StringComparison.Ordinal)))
            .ToList();

    private static async Task<List<string>> VethsOnAsync(string bridge)
    {
        var links = await CommandRunner.RunAsync("ip", ["-o", "link", "show", "master", bridge], new Dictionary<string, string>());
        Assert.True(links.ExitCode == 0, links.ToString());
        // "12: vethabc@if11: <...>": the name is the second field, up to '@'.
        return links.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1].TrimEnd(':').Split('@')[0]).ToList();
    }

    private static bool LinkExists(string name) => Directory.Exists(Path.Combine("/sys/class/net", name));

    private static async Task<string> IptablesSaveAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var r = await CommandRunner.RunAsync("iptables-save", [], new Dictionary<string, string>());
            // iptables-save (nf_tables) can fail when the rule set changes under it (other daemons run beside).
            if (r.ExitCode == 0 || attempt == 5) return r.ExitCode == 0 ? r.Stdout : throw new InvalidOperationException(r.ToString());
            await Task.Delay(100);
        }
    }

    /// <summary>Rule lines naming one of the addresses as a whole address (10.1.2.3 does not match 10.1.2.30).</summary>
    private static List<string> RulesMentioning(string rules, IReadOnlyList<string> ips)
    {
        var pattern = new Regex(@"(?<![\d.])(" + string.Join('|', ips.Select(Regex.Escape)) + @")(?![\d])");
        return rules.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal) && pattern.IsMatch(l)).ToList();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await _daemon.DockerAsync(args);
        if (r.ExitCode != 0)
        {
            var log = _daemon.DaemonLog();
            Assert.Fail($"docker {string.Join(' ', args)}: {r}\n{log[^Math.Min(3000, log.Length)..]}");
        }
        return r.Stdout;
    }
}
