using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>Network modes (container:&lt;name&gt;, none, host) and published ports (-P with EXPOSE, ranges, UDP)
/// with the real docker CLI and wharf. Traffic goes only to 127.0.0.1; every container, image and network the
/// tests make is removed at the end.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkModesTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private async Task<string> OkAsync(params string[] args) => (await SucceedsAsync(args)).Stdout;

    private async Task<CommandResult> SucceedsAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}");
        return r;
    }

    private static async Task<CommandResult> RefusedAsync(Task<CommandResult> run, string words)
    {
        var r = await run;
        Assert.True(r.ExitCode != 0 && r.Stderr.Contains(words, StringComparison.Ordinal), $"expected a refusal with \"{words}\": {r}");
        return r;
    }

    [Fact]
    public async Task NetworkModes_ContainerSharesTargetNamespace_NoneHasLoopbackOnly_HostSeesHostInterfacesAndFiles()
    {
        var id = Unique();
        var target = "mode-tgt-" + id;
        var stopped = "mode-stopped-" + id;
        var joiner = "mode-join-" + id;
        var removedOnFailure = "mode-rmjoin-" + id;
        try
        {
            await OkAsync("run", "-d", "--name", target, "busybox", "sleep", "300");
            await OkAsync("create", "--name", stopped, "busybox", "sleep", "300");
            // Without lifetimes and IPv6 duplicate-address-detection flags ("tentative"), which change over time.
            const string probe = "readlink /proc/self/ns/net; ip -o addr | sed -e 's/ *valid_lft.*//' -e 's/ tentative//' -e 's/ dadfailed//'; hostname";
            var inTarget = await OkAsync("exec", target, "sh", "-c", probe);
            var targetIp = (await OkAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", target)).Trim();
            Assert.Contains(targetIp + "/", inTarget);

            // container:<name>: the same namespace (same inode, same interfaces and addresses), the target's hostname,
            // and its hosts file, through which the joiner's own hostname resolves to the target's address.
            var joined = await OkAsync("run", "--rm", "--network", "container:" + target, "busybox", "sh", "-c", probe + "; hostname -i");
            Assert.Equal(inTarget + targetIp + "\n", joined);

            // Docker's refusals: options that belong to the target's network, and a target that is not running.
            await RefusedAsync(daemon.DockerAsync("run", "--rm", "-p", "8080:80", "--network", "container:" + target, "busybox", "true"),
                "conflicting options: port publishing and the container type network mode");
            await RefusedAsync(daemon.DockerAsync("run", "--rm", "--hostname", "x", "--network", "container:" + target, "busybox", "true"),
                "conflicting options: hostname and the network mode");
            await RefusedAsync(daemon.DockerAsync("run", "--rm", "--dns", "10.0.0.1", "--network", "container:" + target, "busybox", "true"),
                "conflicting options: dns and the network mode");
            await OkAsync("create", "--name", joiner, "--network", "container:" + stopped, "busybox", "true");
            await RefusedAsync(daemon.DockerAsync("start", joiner), $"cannot join network namespace of a non running container: container {stopped} is created");
            // With --rm the failed container is removed, so the CLI's wait for its removal ends.
            await RefusedAsync(daemon.DockerAsync("run", "--rm", "--name", removedOnFailure, "--network", "container:" + stopped, "busybox", "true"),
                "cannot join network namespace of a non running container");
            Assert.Contains("No such container", (await daemon.DockerAsync("container", "inspect", removedOnFailure)).Stderr);

            // none: loopback only, and no address of the container in its hosts file.
            var none = await OkAsync("run", "--rm", "--network", "none", "busybox", "sh", "-c", "ls /sys/class/net; grep -c \"$(hostname)\" /etc/hosts || true");
            Assert.Equal("lo\n0\n", none);

            // host: the host's namespace and interfaces, hostname, hosts file and resolv.conf, as Docker gives them.
            // Other tests add and remove links meanwhile, and a restarting container's veth goes and comes back under
            // the same name: the container must see everything present before and after its run, and nothing the host
            // never had. One run can catch a link in the moment it is gone, so a few tries are allowed.
            string host = "";
            HashSet<string> seen = [], hostBefore = [], hostAfter = [];
            for (var attempt = 0; attempt < 5; attempt++)
            {
                hostBefore = HostInterfaces();
                host = await OkAsync("run", "--rm", "--network", "host", "busybox", "sh", "-c",
                    "readlink /proc/self/ns/net; hostname; echo ---; cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; ls /sys/class/net");
                hostAfter = HostInterfaces();
                seen = host.Split("---\n")[^1].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                if (seen.IsSupersetOf(Settled(hostBefore, hostAfter)) && seen.IsSubsetOf(hostBefore.Union(hostAfter)))
                    break;
            }
            var discarded = await SucceedsAsync("run", "--rm", "--network", "host", "-p", "127.0.0.1:9:80", "busybox", "true");
            Assert.Contains("WARNING: Published ports are discarded when using host network mode", discarded.Stderr);
            var parts = host.Split("---\n");
            Assert.Equal(4, parts.Length);
            var lines = parts[0].Split('\n');
            Assert.Equal(new FileInfo("/proc/self/ns/net").LinkTarget, lines[0].Trim());
            Assert.Equal(Environment.MachineName, lines[1]);
            Assert.Equal(await File.ReadAllTextAsync("/etc/hosts"), parts[1]);
            Assert.Equal(await File.ReadAllTextAsync("/etc/resolv.conf"), parts[2]);
            // xUnit's order: (the smaller set, the set that must hold it).
            Assert.Superset(Settled(hostBefore, hostAfter), seen);
            Assert.Subset(hostBefore.Union(hostAfter).ToHashSet(), seen);
            Assert.Contains("lo", seen);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", joiner, removedOnFailure, target, stopped);
        }
    }

    [Fact]
    public async Task PublishedPorts_PublishAllWithExpose_Ranges_AndUdpRelayedBothWays()
    {
        var id = Unique();
        var image = "exposing-" + id;
        var source = "expose-src-" + id;
        var all = "pub-all-" + id;
        var ranged = "pub-range-" + id;
        var udp = "pub-udp-" + id;
        try
        {
            // An image with EXPOSE 80 and 53/udp (committed with Dockerfile instructions).
            await OkAsync("create", "--name", source, "busybox", "true");
            await OkAsync("commit", "-c", "EXPOSE 80", "-c", "EXPOSE 53/udp", source, image);

            // -P: every exposed port on a random host port, in `docker port` and in NetworkSettings.Ports.
            await OkAsync("run", "-d", "--name", all, "-P", image, "sleep", "300");
            var port = await OkAsync("port", all);
            Assert.Matches(@"(?m)^53/udp -> 0\.0\.0\.0:\d+$", port);
            Assert.Matches(@"(?m)^80/tcp -> 0\.0\.0\.0:\d+$", port);
            using (var inspect = JsonDocument.Parse(await OkAsync("inspect", "-f", "{{json .NetworkSettings.Ports}}", all)))
            {
                var tcpPort = int.Parse(inspect.RootElement.GetProperty("80/tcp")[0].GetProperty("HostPort").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                var udpPort = int.Parse(inspect.RootElement.GetProperty("53/udp")[0].GetProperty("HostPort").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(tcpPort, 1024, 65535);
                Assert.InRange(udpPort, 1024, 65535);
                Assert.Contains($"80/tcp -> 0.0.0.0:{tcpPort}", port);
            }

            // A range, given to wharf: three ports published pairwise; a mismatched range is refused by both CLIs.
            var first = ConsecutiveFreeTcpPorts(3);
            var run = await daemon.WharfAsync("run", "-d", "--name", ranged, "-p", $"127.0.0.1:{first}-{first + 2}:7000-7002", "busybox", "sleep", "300");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal($"7000/tcp -> 127.0.0.1:{first}\n7001/tcp -> 127.0.0.1:{first + 1}\n7002/tcp -> 127.0.0.1:{first + 2}\n", await OkAsync("port", ranged));
            Assert.True(LoopbackPorts.Accepts(first + 1), "the middle port of the range must be bound");
            var mismatch = $"{first}-{first + 1}:7000-7002";
            var words = $"invalid ranges specified for container and host Ports: 7000-7002 and {first}-{first + 1}";
            await RefusedAsync(daemon.DockerAsync("run", "--rm", "-p", mismatch, "busybox", "true"), words);
            await RefusedAsync(daemon.WharfAsync("run", "--rm", "-p", mismatch, "busybox", "true"), words);

            // UDP: a datagram to 127.0.0.1:<h> reaches a UDP echo server in the container on 9999 and the answer comes
            // back. Busybox has no UDP server, so the host's python3 runs in the container: the host's /usr read-only,
            // chrooted into with the merged-/usr links beside it.
            var hostPort = LoopbackPorts.FreeUdp();
            await OkAsync("run", "-d", "--name", udp, "-p", $"127.0.0.1:{hostPort}:9999/udp", "-v", "/usr:/py/usr:ro", "busybox", "sh", "-c",
                "ln -s usr/lib /py/lib && ln -s usr/lib64 /py/lib64 && ln -s usr/bin /py/bin && exec chroot /py /usr/bin/python3 -c \"$1\"", "sh",
                "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('0.0.0.0', 9999))\nwhile True:\n    d, a = s.recvfrom(2048)\n    s.sendto(b'echo:' + d, a)\n");
            Assert.Equal($"127.0.0.1:{hostPort}\n", await OkAsync("port", udp, "9999/udp"));
            Assert.Equal("echo:ping-" + id, await UdpRoundTripAsync(hostPort, "ping-" + id));
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", source, all, ranged, udp);
            await daemon.DockerAsync("rmi", image);
        }
    }

    [Fact]
    public async Task StaticIp_OnNetworkWithoutUserSubnet_RefusedAtCreateAndConnect()
    {
        var id = Unique();
        var auto = "e2e-auto-" + id;
        var c = "static-" + id;
        const string words = "user specified IP address is supported only when connecting to networks with user configured subnets";
        try
        {
            await OkAsync("network", "create", auto);
            var subnet = (await OkAsync("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", auto)).Trim();
            var wanted = subnet[..subnet.LastIndexOf('.')] + ".9"; // within the daemon's pick, still refused
            var create = await RefusedAsync(daemon.DockerAsync("create", "--name", c, "--network", auto, "--ip", wanted, "busybox", "true"), words);
            Assert.Contains("invalid config for network " + auto, create.Stderr);
            Assert.Contains("No such container", (await daemon.DockerAsync("container", "inspect", c)).Stderr);

            await OkAsync("create", "--name", c, "busybox", "true");
            await RefusedAsync(daemon.DockerAsync("network", "connect", "--ip", wanted, auto, c), words);
            Assert.DoesNotContain(auto, await OkAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c));
            // The same network takes the container without a static address.
            await OkAsync("network", "connect", auto, c);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("network", "rm", auto);
        }
    }

    /// <summary>The host's links present before and after a run, except those other tests' daemons make, delete and
    /// make again meanwhile (a reconcile test deletes a network's bridge and waits for the restarted daemon to bring it
    /// back, for longer than a few runs here): bridges and veths of test daemons. The namespace itself is proven by
    /// its inode; this checks that the container lists the host's own interfaces.</summary>
    private static HashSet<string> Settled(HashSet<string> before, HashSet<string> after) =>
        before.Intersect(after).Where(name => !name.StartsWith("br-", StringComparison.Ordinal) && !name.StartsWith("veth", StringComparison.Ordinal)
            && !name.StartsWith("wh", StringComparison.Ordinal) && !name.StartsWith("vx", StringComparison.Ordinal)).ToHashSet();

    private static HashSet<string> HostInterfaces() => Directory.GetFileSystemEntries("/sys/class/net").Select(Path.GetFileName).OfType<string>().ToHashSet();

    /// <summary>Sends until an answer comes: the container's server may not listen yet when the first datagram arrives.</summary>
    private static async Task<string> UdpRoundTripAsync(int port, string message)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var payload = Encoding.ASCII.GetBytes(message);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await client.SendAsync(payload, new IPEndPoint(IPAddress.Loopback, port));
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                var answer = await client.ReceiveAsync(wait.Token);
                return Encoding.ASCII.GetString(answer.Buffer);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return "(no answer)";
    }

    private static int ConsecutiveFreeTcpPorts(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = Random.Shared.Next(20000, 60000);
            if (Enumerable.Range(first, count).All(IsFreeTcp)) return first;
        }
        throw new InvalidOperationException($"no {count} consecutive free TCP ports found");
    }

    private static bool IsFreeTcp(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
