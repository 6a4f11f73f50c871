using System.Net;
using System.Net.Sockets;

namespace Wharf.EndToEnd.Tests;

/// <summary>wharfd killed with SIGKILL while containers run on a user network with a published port; meanwhile its
/// bridge loses its address, a port rule disappears and a stale one for a gone endpoint appears. The restarted
/// daemon re-creates the bridge state and the rules, deletes the stale rule, and the running containers keep
/// their connectivity (names, addresses, the published port). Its own daemon, everything removed at the end.</summary>
public sealed class NetworkRestartTests : IAsyncLifetime
{
    private readonly DaemonFixture _daemon = new();

    public Task InitializeAsync() => _daemon.InitializeAsync();
    public Task DisposeAsync() => _daemon.DisposeAsync();

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await _daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}\n{_daemon.DaemonLog()[^Math.Min(3000, _daemon.DaemonLog().Length)..]}");
        return r.Stdout;
    }

    private static async Task<CommandResult> HostAsync(string tool, string? stdin, params string[] args) =>
        await CommandRunner.RunAsync(tool, args, new Dictionary<string, string>(), stdin);

    private static async Task<string> RulesWhenAsync(Func<string, bool> done)
    {
        var text = "";
        for (var i = 0; i < 50; i++)
        {
            text = (await HostAsync("iptables-save", null)).Stdout;
            if (done(text)) break;
            await Task.Delay(100);
        }
        return text;
    }

    [Fact]
    public async Task KilledDaemon_RestartReconcilesBridgeAndRules_RunningContainersStayConnected()
    {
        var prefix = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";
        var net = "e2e-restart-net";
        int hostPort;
        using (var probe = new TcpListener(IPAddress.Any, 0))
        {
            probe.Start();
            hostPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        try
        {
            await OkAsync("network", "create", "--subnet", prefix + ".0/24", net);
            var bridge = "br-" + (await OkAsync("network", "inspect", "-f", "{{.Id}}", net)).Trim()[..12];
            await OkAsync("run", "-d", "--name", "srv", "--network", net, "-p", $"{hostPort}:80", "busybox", "sh", "-c",
                "mkdir -p /www && echo survived > /www/index.html && exec httpd -f -p 80 -h /www");
            await OkAsync("run", "-d", "--name", "peer", "--network", net, "busybox", "sleep", "300");
            var dnatTail = $"--to-destination {prefix}.2:80";
            var rules = await RulesWhenAsync(t => t.Contains(dnatTail, StringComparison.Ordinal));
            var dnat = rules.Split('\n').Single(l => l.EndsWith(dnatTail, StringComparison.Ordinal));
            var chain = dnat.Split(' ')[1];

            await _daemon.KillDaemonAsync();
            // The crash's leftovers: a rule lost, a stale one for an endpoint that is gone, the bridge without its address.
            var tamper = $"*nat\n-D{dnat[2..]}\n-A {chain} ! -i {bridge} -p tcp -m tcp --dport 9 -j DNAT --to-destination {prefix}.99:80\nCOMMIT\n";
            Assert.Equal(0, (await HostAsync("iptables-restore", tamper, "-w", "--noflush")).ExitCode);
            Assert.Equal(0, (await HostAsync("ip", null, "addr", "del", prefix + ".1/24", "dev", bridge)).ExitCode);
            await _daemon.StartDaemonAsync();

            Assert.Equal("true\n", await OkAsync("inspect", "-f", "{{.State.Running}}", "srv"));
            rules = (await HostAsync("iptables-save", null)).Stdout;
            Assert.Contains(dnat, rules);
            Assert.DoesNotContain($"{prefix}.99", rules);
            Assert.Contains($"inet {prefix}.1/24", (await HostAsync("ip", null, "addr", "show", bridge)).Stdout);

            // Running containers: names through the re-bound DNS server, the address, and the published port.
            var reach = await _daemon.DockerAsync("exec", "peer", "sh", "-c", "nslookup srv && wget -q -O - http://srv/index.html");
            Assert.True(reach.ExitCode == 0, reach.ToString());
            Assert.Contains("survived", reach.Stdout);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            Assert.Contains("survived", await http.GetStringAsync($"http://127.0.0.1:{hostPort}/index.html"));

            await OkAsync("rm", "-f", "srv", "peer");
            var after = await RulesWhenAsync(t => !t.Contains($"{prefix}.2", StringComparison.Ordinal));
            Assert.DoesNotContain($"{prefix}.2", after);
        }
        finally
        {
            await _daemon.DockerAsync("rm", "-f", "srv", "peer");
            await _daemon.DockerAsync("network", "rm", net);
        }
    }
}
