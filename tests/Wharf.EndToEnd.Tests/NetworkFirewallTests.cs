using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>Networking seen from the kernel: published ports as Docker's DNAT rules plus the in-daemon proxy,
/// isolation between networks, enable_icc=false, --internal, and DNS over TCP. Traffic only to 127.0.0.1 and to
/// addresses on networks the test creates (their gateways are host addresses); every network is removed.</summary>
[Collection(DaemonCollection.Name)]
public sealed partial class NetworkFirewallTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private static string RandomPrefix() => $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private static async Task<string> HostAsync(string tool, params string[] args)
    {
        var r = await CommandRunner.RunAsync(tool, args, new Dictionary<string, string>());
        // iptables-save (nf_tables) can crash when the rule set changes under it (other daemons run beside): retry.
        for (var retry = 0; retry < 5 && r.ExitCode != 0 && tool.EndsWith("-save", StringComparison.Ordinal); retry++)
        {
            await Task.Delay(100);
            r = await CommandRunner.RunAsync(tool, args, new Dictionary<string, string>());
        }
        Assert.True(r.ExitCode == 0, $"{tool}: {r}");
        return r.Stdout;
    }

    /// <summary>Polls iptables-save until <paramref name="done"/> holds (rule changes of a start or stop land just
    /// after the answer); returns the last output.</summary>
    private static async Task<string> RulesWhenAsync(Func<string, bool> done, string tool = "iptables-save")
    {
        var text = "";
        for (var i = 0; i < 50; i++)
        {
            text = await HostAsync(tool, "-c");
            if (done(text)) break;
            await Task.Delay(100);
        }
        return text;
    }

    /// <summary>Live wharf-shim processes whose arguments name <paramref name="containerId"/>.</summary>
    private static IEnumerable<int> ShimProcessesFor(string containerId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (cmdline.Contains("wharf-shim", StringComparison.Ordinal) && cmdline.Contains(containerId, StringComparison.Ordinal)) yield return pid;
        }
    }

    private async Task<string> BridgeOfAsync(string network) => "br-" + (await OkAsync("network", "inspect", "-f", "{{.Id}}", network)).Trim()[..12];

    private static async Task<string> HttpGetAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        for (var attempt = 0; ; attempt++)
        {
            try { return await http.GetStringAsync(url); }
            catch (Exception e) when (attempt < 40 && e is HttpRequestException or TaskCanceledException) { await Task.Delay(100); }
        }
    }

    [Fact]
    public async Task PublishedPort_DnatRulesAndProxy_ReachableFromHostAndOtherNetwork_RulesGoneAfterRm_TakenPortLeavesNothing()
    {
        var id = Unique();
        var netA = "e2e-pa-" + id;
        var netB = "e2e-pb-" + id;
        var (prefixA, prefixB) = (RandomPrefix(), RandomPrefix());
        var srv = "dnat-" + id;
        var hostPort = LoopbackPorts.FreeTcp();
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        try
        {
            await OkAsync("network", "create", "--subnet", prefixA + ".0/24", netA);
            await OkAsync("network", "create", "--subnet", prefixB + ".0/24", netB);
            var (bridgeA, bridgeB) = (await BridgeOfAsync(netA), await BridgeOfAsync(netB));
            await OkAsync("run", "-d", "--name", srv, "--network", netA, "-p", $"{hostPort}:80", "busybox", "sh", "-c",
                "mkdir -p /www && echo hello-dnat > /www/index.html && exec httpd -f -p 80 -h /www");
            var ip = prefixA + ".2";

            var dnat = $"! -i {bridgeA} -p tcp -m tcp --dport {hostPort} -j DNAT --to-destination {ip}:80";
            var rules = await RulesWhenAsync(t => t.Contains(dnat, StringComparison.Ordinal));
            Assert.Contains(dnat, rules);
            Assert.Contains($"-d {ip}/32 ! -i {bridgeA} -o {bridgeA} -p tcp -m tcp --dport 80 -j ACCEPT", rules);
            Assert.Contains($"-A POSTROUTING -s {ip}/32 -d {ip}/32 -p tcp -m tcp --dport 80 -j MASQUERADE", rules);
            Assert.Contains($"-i {bridgeA} -j RETURN", rules);
            Assert.Contains($"-i {bridgeB} -j RETURN", rules);

            // 127.0.0.1: the proxy (OUTPUT never DNATs loopback).
            Assert.Contains("hello-dnat", await HttpGetAsync($"http://127.0.0.1:{hostPort}/index.html"));
            // The host to a non-loopback host address (network B's gateway): through the DNAT rule, whose counter moves.
            var before = DnatPackets(rules, dnat);
            Assert.Contains("hello-dnat", await HttpGetAsync($"http://{prefixB}.1:{hostPort}/index.html"));
            Assert.True(DnatPackets(await HostAsync("iptables-save", "-c"), dnat) > before, "the connection to the gateway address must go through DNAT");

            // A container on network B through its own gateway (a host address), and hairpin from network A itself.
            var fromB = await daemon.DockerAsync("run", "--rm", "--network", netB, "busybox", "wget", "-q", "-O", "-", $"http://{prefixB}.1:{hostPort}/index.html");
            Assert.True(fromB.ExitCode == 0, fromB.ToString());
            Assert.Contains("hello-dnat", fromB.Stdout);
            var hairpin = await daemon.DockerAsync("run", "--rm", "--network", netA, "busybox", "wget", "-q", "-O", "-", $"http://{prefixA}.1:{hostPort}/index.html");
            Assert.True(hairpin.ExitCode == 0, hairpin.ToString());
            Assert.Contains("hello-dnat", hairpin.Stdout);

            // A taken host port: Docker's words, no container left running, no rule for it.
            var conflict = await daemon.DockerAsync("run", "-d", "--name", "dup-" + id, "--network", netA, "-p", $"{takenPort}:80", "busybox", "sleep", "30");
            Assert.NotEqual(0, conflict.ExitCode);
            Assert.Contains("port is already allocated", conflict.Stderr);
            Assert.Equal("false\n", await OkAsync("inspect", "-f", "{{.State.Running}}", "dup-" + id));
            Assert.DoesNotContain($"--dport {takenPort} ", await HostAsync("iptables-save"));
            // The network is wired while the shim starts: the shim launched for nothing goes, the rootfs is unmounted.
            var dupId = (await OkAsync("inspect", "-f", "{{.Id}}", "dup-" + id)).Trim();
            for (var i = 0; i < 50 && ShimProcessesFor(dupId).Any(); i++) await Task.Delay(100);
            Assert.Empty(ShimProcessesFor(dupId));
            Assert.DoesNotContain(dupId, File.ReadAllText("/proc/self/mounts"));

            await OkAsync("rm", "-f", srv);
            var after = await RulesWhenAsync(t => !t.Contains(ip + "/32", StringComparison.Ordinal) && !t.Contains(ip + ":80", StringComparison.Ordinal));
            Assert.DoesNotContain(ip + "/32", after);
            Assert.DoesNotContain(ip + ":80", after);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", srv, "dup-" + id);
            await daemon.DockerAsync("network", "rm", netA, netB);
        }
    }

    [Fact]
    public async Task Isolation_OtherNetworkUnreachable_IccFalseBlocks_InternalReachesOnlyItsGateway()
    {
        var id = Unique();
        var (netX, netY, netN, netI) = ("e2e-ix-" + id, "e2e-iy-" + id, "e2e-in-" + id, "e2e-ii-" + id);
        var (px, py, pn, pi) = (RandomPrefix(), RandomPrefix(), RandomPrefix(), RandomPrefix());
        var (x1, n1) = ("x1-" + id, "n1-" + id);
        try
        {
            await OkAsync("network", "create", "--subnet", px + ".0/24", netX);
            await OkAsync("network", "create", "--subnet", py + ".0/24", netY);
            await OkAsync("network", "create", "--subnet", pn + ".0/24", "-o", "com.docker.network.bridge.enable_icc=false", netN);
            await OkAsync("network", "create", "--subnet", pi + ".0/24", "--internal", netI);
            await OkAsync("run", "-d", "--name", x1, "--network", netX, "busybox", "sleep", "300");
            await OkAsync("run", "-d", "--name", n1, "--network", netN, "busybox", "sleep", "300");
            var probe = "for t in $TARGETS; do if ping -c 1 -W 1 $t >/dev/null 2>&1; then echo reach:$t; else echo blocked:$t; fi; done";

            // Same network: reachable (the probe works); another network: dropped by WHARF-ISOLATION-STAGE-1/2.
            var same = await OkAsync("run", "--rm", "--network", netX, "-e", $"TARGETS={px}.2", "busybox", "sh", "-c", probe);
            Assert.Contains($"reach:{px}.2", same);
            var other = await OkAsync("run", "--rm", "--network", netY, "-e", $"TARGETS={px}.2 {py}.1", "busybox", "sh", "-c", probe);
            Assert.Contains($"blocked:{px}.2", other);
            Assert.Contains($"reach:{py}.1", other);

            // enable_icc=false: container to container on that bridge is dropped, its gateway still answers.
            var icc = await OkAsync("run", "--rm", "--network", netN, "-e", $"TARGETS={pn}.2 {pn}.1", "busybox", "sh", "-c", probe);
            Assert.Contains($"blocked:{pn}.2", icc);
            Assert.Contains($"reach:{pn}.1", icc);

            // --internal: no default route; even with one added (NET_ADMIN), neither another network's container nor
            // the host's address on another network answers; its own gateway (the DNS server) does.
            var routes = await OkAsync("run", "--rm", "--network", netI, "busybox", "ip", "route");
            Assert.DoesNotContain("default", routes);
            var inside = await OkAsync("run", "--rm", "--network", netI, "--cap-add", "NET_ADMIN", "-e", $"TARGETS={pi}.1 {px}.1 {px}.2", "busybox", "sh", "-c",
                $"ip route add default via {pi}.1 && {probe}");
            Assert.Contains($"reach:{pi}.1", inside);
            Assert.Contains($"blocked:{px}.1", inside);
            Assert.Contains($"blocked:{px}.2", inside);
            var bridgeI = await BridgeOfAsync(netI);
            Assert.Contains($"-A INPUT ! -d {pi}.0/24 -i {bridgeI} -j DROP", await HostAsync("iptables-save"));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", x1, n1);
            await daemon.DockerAsync("network", "rm", netX, netY, netN, netI);
        }
        // Every rule of the four networks went with them.
        var left = await HostAsync("iptables-save");
        foreach (var prefix in new[] { px, py, pn, pi }) Assert.DoesNotContain(prefix + ".0/24", left);
    }

    [Fact]
    public async Task EmbeddedDns_AnswersOverTcpOnTheGateway()
    {
        var id = Unique();
        var net = "e2e-dnstcp-" + id;
        var prefix = RandomPrefix();
        var c = "tcpdns-" + id;
        try
        {
            await OkAsync("network", "create", "--subnet", prefix + ".0/24", net);
            await OkAsync("run", "-d", "--name", c, "--network", net, "--network-alias", "alias-" + id, "busybox", "sleep", "300");
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Parse(prefix + ".1"), 53);
            var stream = client.GetStream();
            // Two queries on one connection (RFC 7766 framing and pipelining), answered by the embedded server itself:
            // single-label names it does not serve for this asker are NXDOMAIN at once, never forwarded.
            foreach (var (name, queryId) in new[] { ("nosuch-" + id, (ushort)0x1111), ("other-" + id, (ushort)0x2222) })
            {
                var query = DnsQueries.A(name, queryId);
                var framed = new byte[query.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
                query.CopyTo(framed, 2);
                await stream.WriteAsync(framed);
                var header = new byte[2];
                await stream.ReadExactlyAsync(header);
                var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
                await stream.ReadExactlyAsync(answer);
                Assert.Equal(queryId, BinaryPrimitives.ReadUInt16BigEndian(answer));
                Assert.Equal(0x80, answer[2] & 0x80); // a response
                Assert.Equal(3, answer[3] & 0x0F); // NXDOMAIN
                Assert.Equal(query[12..], answer[12..query.Length]); // the question echoed
            }
            // UDP on the same gateway still answers containers by name.
            var udp = await daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "nslookup", "alias-" + id);
            Assert.True(udp.ExitCode == 0, udp.ToString());
            Assert.Contains(prefix + ".2", udp.Stdout);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("network", "rm", net);
        }
    }

    /// <summary>The packet counter of the rule ending in <paramref name="rule"/> in iptables-save -c output.</summary>
    private static long DnatPackets(string save, string rule)
    {
        foreach (var line in save.Split('\n').Where(l => l.EndsWith(rule, StringComparison.Ordinal)))
        {
            var match = CounterRegex().Match(line);
            if (match.Success) return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [GeneratedRegex(@"^\[(\d+):\d+\]")]
    private static partial Regex CounterRegex();
}
