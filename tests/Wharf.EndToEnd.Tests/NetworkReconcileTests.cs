using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>What a crash or a user leaves in the kernel, reconciled by a restarted wharfd: a user's DOCKER-USER rule
/// survives network and container churn and a SIGKILL, and stays the first thing FORWARD consults; a bridge whose
/// network record is gone is deleted with its rules, while a look-alike bridge the daemon never created stays; a
/// container that died while the daemon was down gives back its address, veth, DNS name, port rules and host port.
/// Each test has its own daemon (its chains carry that daemon's prefix) and removes what it made.</summary>
public sealed class NetworkReconcileTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    private static string RandomPrefix() => $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";

    /// <summary>The chain prefix wharfd derives from a non-default exec root (see NetworkSetup).</summary>
    private string ChainPrefix() => "w" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_daemon.ExecRoot)))[..3];

    private string DefaultBridge() => "wh" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_daemon.ExecRoot)))[..6];

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await _daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}\n{_daemon.DaemonLog()[^Math.Min(3000, _daemon.DaemonLog().Length)..]}");
        return r.Stdout;
    }

    private static Task<CommandResult> HostAsync(string tool, params string[] args) =>
        CommandRunner.RunAsync(tool, args, new Dictionary<string, string>());

    private static async Task<string> HostOkAsync(string tool, params string[] args)
    {
        var r = await HostAsync(tool, args);
        // iptables-save (nf_tables) can fail when the rule set changes under it (other daemons run beside): retry.
        for (var retry = 0; retry < 5 && r.ExitCode != 0 && tool.EndsWith("-save", StringComparison.Ordinal); retry++)
        {
            await Task.Delay(100);
            r = await HostAsync(tool, args);
        }
        Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private static async Task<string> RulesWhenAsync(Func<string, bool> done)
    {
        var text = "";
        for (var i = 0; i < 50; i++)
        {
            text = await HostOkAsync("iptables-save");
            if (done(text)) break;
            await Task.Delay(100);
        }
        return text;
    }

    private static List<string> Chain(string rules, string chain) =>
        rules.Split('\n').Where(l => l.StartsWith($"-A {chain} ", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task UserRuleInDockerUser_SurvivesNetworkAndContainerChurnAndSigkill_StaysFirstAndConsultedFirst()
    {
        var prefix = ChainPrefix();
        var user = prefix + "DOCKER-USER";
        var stage1 = prefix + "WHARF-ISOLATION-STAGE-1";
        var jump = $"-A FORWARD -j {user}";
        var tag = "wharf-e2e-user-" + Guid.NewGuid().ToString("N")[..8];
        var source = $"198.51.100.{Random.Shared.Next(1, 254)}/32";
        var subnet = RandomPrefix();
        var hostPort = LoopbackPorts.FreeTcp();
        try
        {
            Assert.Contains($":{user} ", await HostOkAsync("iptables-save", "-t", "filter"));
            // The backend detected at start, and the programs its rules go through, are in the log.
            Assert.Matches(@"Firewall: iptables backend (nf_tables|legacy) \(iptables-\S*restore, iptables-\S*save\)", _daemon.DaemonLog());
            await HostOkAsync("iptables", "-w", "-I", user, "-s", source, "-m", "comment", "--comment", tag, "-j", "DROP");
            var userRule = Chain(await HostOkAsync("iptables-save", "-t", "filter"), user).Single(l => l.Contains(tag, StringComparison.Ordinal));

            // Churn: a network created and removed, a container with a published port started and removed.
            await OkAsync("network", "create", "--subnet", subnet + ".0/24", "e2e-user-churn");
            await OkAsync("run", "-d", "--name", "churn", "--network", "e2e-user-churn", "-p", $"{hostPort}:80", "busybox", "httpd", "-f", "-p", "80");
            await RulesWhenAsync(t => t.Contains($"--to-destination {subnet}.2:80", StringComparison.Ordinal));
            await OkAsync("rm", "-f", "churn");
            await OkAsync("network", "rm", "e2e-user-churn");
            var rules = await RulesWhenAsync(t => !t.Contains(subnet + ".", StringComparison.Ordinal));
            Assert.Equal(new[] { userRule }, Chain(rules, user));

            // SIGKILL, and meanwhile FORWARD's jump to DOCKER-USER pushed to the bottom (another tool's -I, a reorder).
            await _daemon.KillDaemonAsync();
            await HostOkAsync("iptables", "-w", "-D", "FORWARD", "-j", user);
            await HostOkAsync("iptables", "-w", "-A", "FORWARD", "-j", user);
            await _daemon.StartDaemonAsync();
            var afterBridge = "br-" + (await OkAsync("network", "create", "--subnet", subnet + ".0/24", "e2e-user-after")).Trim()[..12];

            rules = await HostOkAsync("iptables-save", "-t", "filter");
            Assert.Equal(new[] { userRule }, Chain(rules, user));
            var forward = Chain(rules, "FORWARD");
            Assert.Single(forward, jump);
            var userAt = forward.IndexOf(jump);
            // This daemon's other FORWARD rules: its jumps and its bridges' rules (other daemons' are none of its business).
            var ours = forward.Select((line, index) => (line, index))
                .Where(x => x.line != jump && new[] { prefix, DefaultBridge(), afterBridge }.Any(mark => x.line.Contains(mark, StringComparison.Ordinal)))
                .ToList();
            Assert.Contains(ours, x => x.line == $"-A FORWARD -j {stage1}");
            Assert.Contains(ours, x => x.line.Contains($"-o {afterBridge} ", StringComparison.Ordinal));
            Assert.All(ours, x => Assert.True(userAt < x.index, $"FORWARD consults {x.line} before {user}:\n{string.Join('\n', forward)}"));
            await OkAsync("network", "rm", "e2e-user-after");
            Assert.Equal(new[] { userRule }, Chain(await HostOkAsync("iptables-save", "-t", "filter"), user));
        }
        finally
        {
            await _daemon.DockerAsync("rm", "-f", "churn");
            await _daemon.DockerAsync("network", "rm", "e2e-user-churn");
            await _daemon.DockerAsync("network", "rm", "e2e-user-after");
            await HostAsync("iptables", "-w", "-D", user, "-s", source, "-m", "comment", "--comment", tag, "-j", "DROP");
        }
    }

    [Fact]
    public async Task KilledDaemon_StaleBridgeDeletedWithRules_ForeignBridgeKept_DeadContainerReleased()
    {
        var gonePrefix = RandomPrefix();
        var livePrefix = RandomPrefix();
        while (livePrefix == gonePrefix) livePrefix = RandomPrefix();
        var foreign = "br-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var foreignRule = new[] { "FORWARD", "-o", foreign, "-j", "DROP" };
        var hostPort = LoopbackPorts.FreeTcp();
        try
        {
            var goneId = (await OkAsync("network", "create", "--subnet", gonePrefix + ".0/24", "e2e-rec-gone")).Trim();
            var bridge = "br-" + goneId[..12];
            await OkAsync("network", "create", "--subnet", livePrefix + ".0/24", "e2e-rec-live");
            await OkAsync("run", "-d", "--name", "peer", "--network", "e2e-rec-live", "busybox", "sleep", "300");
            await OkAsync("run", "-d", "--name", "dies", "--network", "e2e-rec-live", "-p", $"{hostPort}:80", "busybox", "httpd", "-f", "-p", "80");
            var ip = (await OkAsync("inspect", "-f", "{{(index .NetworkSettings.Networks \"e2e-rec-live\").IPAddress}}", "dies")).Trim();
            var veth = "veth" + (await OkAsync("inspect", "-f", "{{(index .NetworkSettings.Networks \"e2e-rec-live\").EndpointID}}", "dies")).Trim()[..7];
            var pid = (await OkAsync("inspect", "-f", "{{.State.Pid}}", "dies")).Trim();
            await RulesWhenAsync(t => t.Contains($"--to-destination {ip}:80", StringComparison.Ordinal));
            Assert.Equal(0, (await HostAsync("ip", "link", "show", veth)).ExitCode);
            Assert.Contains(bridge, await HostOkAsync("iptables-save"));

            // A bridge named like ours (and like Docker's) that this daemon never created, with a rule on it.
            await HostOkAsync("ip", "link", "add", foreign, "type", "bridge");
            await HostOkAsync("iptables", ["-w", "-A", .. foreignRule]);

            // The daemon dies in the middle of `network rm` (its record already gone), and a container dies meanwhile.
            await _daemon.KillDaemonAsync();
            File.Delete(Path.Combine(_daemon.DataRoot, "network", goneId + ".json"));
            await HostOkAsync("kill", "-9", pid);
            await _daemon.StartDaemonAsync();

            Assert.NotEqual(0, (await HostAsync("ip", "link", "show", bridge)).ExitCode);
            var rules = await HostOkAsync("iptables-save");
            Assert.DoesNotContain(bridge, rules);
            Assert.DoesNotContain(gonePrefix + ".0/24", rules);
            Assert.DoesNotContain("e2e-rec-gone", await OkAsync("network", "ls", "--format", "{{.Name}}"));
            Assert.Equal(0, (await HostAsync("ip", "link", "show", foreign)).ExitCode);
            Assert.Contains($"-A FORWARD -o {foreign} -j DROP", rules);

            // The dead container: exited, and everything it held released.
            for (var i = 0; i < 50 && (await OkAsync("inspect", "-f", "{{.State.Status}}", "dies")).Trim() != "exited"; i++) await Task.Delay(100);
            Assert.Equal("exited\n", await OkAsync("inspect", "-f", "{{.State.Status}}", "dies"));
            Assert.Equal("peer", (await OkAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{end}}", "e2e-rec-live")).Trim());
            rules = await RulesWhenAsync(t => !t.Contains(ip + ":80", StringComparison.Ordinal));
            Assert.DoesNotContain($"{ip}:80", rules);
            Assert.DoesNotContain($"-d {ip}/32", rules);
            var vethGone = false;
            for (var i = 0; i < 50 && !vethGone; i++)
            {
                vethGone = (await HostAsync("ip", "link", "show", veth)).ExitCode != 0;
                if (!vethGone) await Task.Delay(100);
            }
            Assert.True(vethGone, $"{veth} is still on the host");
            var lookup = await _daemon.DockerAsync("exec", "peer", "nslookup", "dies");
            Assert.NotEqual(0, lookup.ExitCode);
            Assert.Equal(0, (await _daemon.DockerAsync("exec", "peer", "nslookup", "peer")).ExitCode);
            using (var listener = new TcpListener(IPAddress.Any, hostPort)) listener.Start();
            await OkAsync("run", "--rm", "--network", "e2e-rec-live", "--ip", ip, "busybox", "true");
        }
        finally
        {
            await _daemon.DockerAsync("rm", "-f", "dies", "peer");
            await _daemon.DockerAsync("network", "rm", "e2e-rec-live", "e2e-rec-gone");
            await HostAsync("iptables", ["-w", "-D", .. foreignRule]);
            await HostAsync("ip", "link", "del", foreign);
        }
    }
}
