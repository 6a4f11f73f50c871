using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wharf.EndToEnd.Tests;

/// <summary>The container's view of names, with the real docker CLI and busybox: the embedded DNS server on a
/// user-defined network (names, short ids, hostnames, --dns as its upstream, NXDOMAIN once a container is gone,
/// --dns-search/--dns-option in resolv.conf) and the default bridge, which has no name resolution but --link and
/// --add-host host-gateway entries in /etc/hosts. Traffic goes only to loopback (a fake upstream resolver of the
/// test) and to addresses on the networks involved; every container and network is removed.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkDnsTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private static string RandomPrefix() => $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}\n{daemon.DaemonLog()[^Math.Min(3000, daemon.DaemonLog().Length)..]}");
        return r.Stdout;
    }

    /// <summary>Runs one lookup per name in <paramref name="container"/> and returns, per name, busybox nslookup's
    /// output and exit code (one exec for all of them: each is delimited by a marker line).</summary>
    private async Task<Dictionary<string, (string Output, int Code)>> LookupsAsync(string container, params string[] names)
    {
        var script = string.Concat(names.Select(n => $"echo '@@ {n}'; nslookup {n} 2>&1; echo \"@@ rc=$?\"; "));
        var r = await daemon.DockerAsync("exec", container, "sh", "-c", script);
        var results = new Dictionary<string, (string, int)>();
        var sections = r.Stdout.Split("@@ ", StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < sections.Length; i += 2)
        {
            var newline = sections[i].IndexOf('\n', StringComparison.Ordinal);
            if (newline < 0) continue;
            var name = sections[i][..newline];
            var code = int.Parse(sections[i + 1].Trim()["rc=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            results[name] = (sections[i][(newline + 1)..], code);
        }
        Assert.True(results.Count == names.Length, $"lookups in {container}: {r}");
        return results;
    }

    [Fact]
    public async Task UserNetwork_DnsFlags_EmbeddedServerStays_ShortIdHostnameResolve_OtherNamesToDnsServers_GoneNameNxdomain()
    {
        var id = Unique();
        var net = "e2e-dns-" + id;
        var prefix = RandomPrefix();
        var target = "target-" + id;
        var hostname = "hn-" + id;
        var prober = "prober-" + id;
        // The prober's --dns server: a fake resolver of this test on a loopback address of the host, where the
        // embedded server (in wharfd, on the host) forwards the prober's non-container names.
        var upstreamIp = IPAddress.Parse($"127.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 250)}");
        using var upstream = new FakeUpstream(upstreamIp, "example.test", [198, 51, 100, 7]);
        try
        {
            await OkAsync("network", "create", "--subnet", prefix + ".0/24", net);
            await OkAsync("run", "-d", "--name", target, "--hostname", hostname, "--network", net, "busybox", "sleep", "300");
            var shortId = (await OkAsync("inspect", "-f", "{{.Id}}", target)).Trim()[..12];
            var targetIp = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", target)).Trim();
            Assert.StartsWith(prefix + ".", targetIp);
            // resolv.conf names the embedded server on the gateway, not the --dns server; search and options applied.
            var resolv = await OkAsync("run", "--rm", "--network", net, "--dns", upstreamIp.ToString(),
                "--dns-search", "x.test", "--dns-option", "ndots:2", "busybox", "cat", "/etc/resolv.conf");
            var lines = resolv.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal([$"nameserver {prefix}.1"], lines.Where(l => l.StartsWith("nameserver", StringComparison.Ordinal)));
            Assert.Contains("search x.test", lines);
            Assert.Contains("options ndots:2", lines);

            // The prober has --dns only: busybox nslookup, given a search domain, would only ask for "name.x.test".
            await OkAsync("run", "-d", "--name", prober, "--network", net, "--dns", upstreamIp.ToString(), "busybox", "sleep", "300");
            Assert.Contains($"nameserver {prefix}.1", await OkAsync("exec", prober, "cat", "/etc/resolv.conf"));

            // Name, short id and --hostname of the other container resolve with --dns set; another name goes to the
            // prober's --dns server (and only there: the host's resolvers never see it).
            var found = await LookupsAsync(prober, target, shortId, hostname, "www.example.test");
            foreach (var name in new[] { target, shortId, hostname })
            {
                Assert.True(found[name].Code == 0, $"nslookup {name}: {found[name].Output}");
                Assert.Contains(targetIp, found[name].Output);
            }
            Assert.True(found["www.example.test"].Code == 0, found["www.example.test"].Output);
            Assert.Contains("198.51.100.7", found["www.example.test"].Output);
            Assert.Contains("www.example.test", upstream.Seen);

            // Removed, its names are gone: NXDOMAIN from the embedded server.
            await OkAsync("rm", "-f", target);
            var gone = await LookupsAsync(prober, target, shortId, hostname);
            foreach (var (name, (output, code)) in gone)
            {
                Assert.True(code != 0, $"nslookup {name} after removal: {output}");
                Assert.True(output.Contains("NXDOMAIN", StringComparison.Ordinal), $"nslookup {name} after removal: {output}");
                Assert.DoesNotContain(targetIp, output);
            }
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", target, prober);
            await daemon.DockerAsync("network", "rm", net);
        }
    }

    [Fact]
    public async Task SeveralNetworks_AtCreateOrConnected_ResolveEveryNetworksNames_UntilDisconnected()
    {
        var id = Unique();
        var netA = "e2e-dnsa-" + id;
        var netB = "e2e-dnsb-" + id;
        var prefixA = RandomPrefix();
        var prefixB = RandomPrefix();
        var peerA = "peera-" + id;
        var peerB = "peerb-" + id;
        var both = "both-" + id;
        var late = "late-" + id;
        try
        {
            await OkAsync("network", "create", "--subnet", prefixA + ".0/24", netA);
            await OkAsync("network", "create", "--subnet", prefixB + ".0/24", netB);
            await OkAsync("run", "-d", "--name", peerA, "--network", netA, "busybox", "sleep", "300");
            await OkAsync("run", "-d", "--name", peerB, "--network", netB, "--network-alias", "alias-" + id, "busybox", "sleep", "300");
            var ipB = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{netB}\").IPAddress}}}}", peerB)).Trim();

            // On both networks from its create (NetworkingConfig with two endpoints): names and aliases of both answer.
            await OkAsync("run", "-d", "--name", both, "--network", netA, "--network", netB, "busybox", "sleep", "300");
            var atCreate = await LookupsAsync(both, peerA, peerB, "alias-" + id);
            foreach (var (name, (output, code)) in atCreate) Assert.True(code == 0, $"nslookup {name} in {both}: {output}");
            Assert.Contains(ipB, atCreate[peerB].Output);

            // On the first network only, then connected to the second while running: its names answer from then on...
            await OkAsync("run", "-d", "--name", late, "--network", netA, "busybox", "sleep", "300");
            Assert.NotEqual(0, (await LookupsAsync(late, peerB))[peerB].Code);
            await OkAsync("network", "connect", netB, late);
            var connected = await LookupsAsync(late, peerA, peerB, "alias-" + id);
            foreach (var (name, (output, code)) in connected) Assert.True(code == 0, $"nslookup {name} in {late} after connect: {output}");
            Assert.Contains(ipB, connected[peerB].Output);

            // ...and no longer once disconnected; the first network's names still do.
            await OkAsync("network", "disconnect", netB, late);
            var disconnected = await LookupsAsync(late, peerA, peerB, "alias-" + id);
            Assert.True(disconnected[peerA].Code == 0, disconnected[peerA].Output);
            foreach (var name in new[] { peerB, "alias-" + id })
            {
                Assert.True(disconnected[name].Code != 0, $"nslookup {name} after disconnect: {disconnected[name].Output}");
                Assert.DoesNotContain(ipB, disconnected[name].Output);
            }
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", peerA, peerB, both, late);
            await daemon.DockerAsync("network", "rm", netA, netB);
        }
    }

    [Fact]
    public async Task DefaultBridge_NoNameResolution_LinkAndHostGatewayInEtcHosts()
    {
        var id = Unique();
        var other = "linked-" + id;
        var alias = "al-" + id;
        try
        {
            await OkAsync("run", "-d", "--name", other, "busybox", "sleep", "300");
            var otherIp = (await OkAsync("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", other)).Trim();
            var otherShortId = (await OkAsync("inspect", "-f", "{{.Id}}", other)).Trim()[..12];
            var gateway = (await OkAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge")).Trim();
            Assert.True(IPAddress.TryParse(gateway, out _), gateway);

            // Asked directly at the bridge's gateway (where a user network's embedded server would be), the name does
            // not resolve: the default bridge has no DNS. --link and --add-host host-gateway land in /etc/hosts, and
            // the alias answers pings through it.
            var probe = await daemon.DockerAsync("run", "--rm", "--link", $"{other}:{alias}", "--add-host", $"gw-{id}:host-gateway",
                "--dns", gateway, "busybox", "sh", "-c",
                $"cat /etc/hosts; echo @@; timeout 5 nslookup {other} {gateway}; echo \"@@ nslookup=$?\"; ping -c 1 -W 2 {alias}; echo \"@@ ping=$?\"");
            Assert.True(probe.ExitCode == 0, probe.ToString());
            var parts = probe.Stdout.Split("@@");
            var hosts = parts[0].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToList();
            var linkLine = Assert.Single(hosts, f => f.Contains(alias));
            Assert.Equal(otherIp, linkLine[0]);
            Assert.Contains(otherShortId, linkLine);
            Assert.Contains(other, linkLine);
            Assert.Equal([gateway, $"gw-{id}"], Assert.Single(hosts, f => f.Contains($"gw-{id}")));
            Assert.DoesNotContain(otherIp, parts[1]);
            var nslookupCode = parts[2].TrimStart().Split('\n')[0];
            Assert.True(nslookupCode.StartsWith("nslookup=", StringComparison.Ordinal) && nslookupCode != "nslookup=0", probe.Stdout);
            Assert.True(parts[3].Trim() == "ping=0", probe.Stdout);
            Assert.Contains($"from {otherIp}", parts[2]);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", other);
        }
    }

    /// <summary>A UDP resolver on <c>address:53</c> answering A queries for names under <c>zone</c> with one
    /// address and NXDOMAIN for everything else; records the names it is asked.</summary>
    private sealed class FakeUpstream : IDisposable
    {
        private readonly UdpClient _socket;
        private readonly Task _loop;
        private readonly List<string> _seen = [];

        public FakeUpstream(IPAddress address, string zone, byte[] answer)
        {
            _socket = new UdpClient(new IPEndPoint(address, 53));
            _loop = Task.Run(async () =>
            {
                while (true)
                {
                    UdpReceiveResult received;
                    try { received = await _socket.ReceiveAsync(); }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException) { return; }
                    var reply = Reply(received.Buffer, zone, answer);
                    if (reply is null) continue;
                    try { await _socket.SendAsync(reply, reply.Length, received.RemoteEndPoint); }
                    catch (Exception e) when (e is ObjectDisposedException or SocketException) { return; }
                }
            });
        }

        public IReadOnlyList<string> Seen
        {
            get { lock (_seen) return [.. _seen]; }
        }

        private byte[]? Reply(byte[] query, string zone, byte[] answer)
        {
            if (query.Length < 17) return null;
            var labels = new List<string>();
            var offset = 12;
            while (offset < query.Length && query[offset] != 0)
            {
                if (offset + 1 + query[offset] > query.Length) return null;
                labels.Add(Encoding.ASCII.GetString(query, offset + 1, query[offset]));
                offset += 1 + query[offset];
            }
            if (offset + 5 > query.Length) return null;
            var name = string.Join('.', labels);
            lock (_seen) _seen.Add(name);
            var type = (query[offset + 1] << 8) | query[offset + 2];
            var inZone = name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase);
            var reply = new List<byte>(query[..(offset + 5)]);
            reply[2] = (byte)(0x80 | (query[2] & 0x01)); // response, recursion desired copied
            reply[3] = (byte)(0x80 | (inZone ? 0 : 3)); // recursion available; NXDOMAIN outside the zone
            reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0;
            if (inZone && type == 1)
            {
                reply[7] = 1;
                reply.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, (byte)answer.Length, .. answer]);
            }
            return [.. reply];
        }

        public void Dispose()
        {
            _socket.Dispose();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
