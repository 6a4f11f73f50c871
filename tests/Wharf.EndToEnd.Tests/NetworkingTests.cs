using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Wharf.TestKit;

namespace Wharf.EndToEnd.Tests;

/// <summary>Networking with the real docker CLI: user-defined bridges with DNS, the default bridge, published
/// ports, --internal, connect/disconnect and Docker's errors. Traffic goes only to 127.0.0.1 and to addresses on
/// networks the test creates; every network is removed at the end.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkingTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>A /24 in 10.0.0.0/8 unlikely to collide with other test daemons running at the same time.</summary>
    private static string RandomSubnet() => $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}\n{daemon.DaemonLog()[^Math.Min(3000, daemon.DaemonLog().Length)..]}");
        return r.Stdout;
    }

    [Fact]
    public async Task UserNetwork_ContainersResolveEachOtherByNameAndAlias_OnlyOnSharedNetworks()
    {
        var id = Unique();
        var net = "e2e-net-" + id;
        var other = "e2e-other-" + id;
        var prefix = RandomSubnet();
        var a = "web-" + id;
        try
        {
            await OkAsync("network", "create", "--subnet", prefix + ".0/24", "--label", "suite=e2e", net);
            await OkAsync("network", "create", other);
            await OkAsync("run", "-d", "--name", a, "--network", net, "--network-alias", "api-" + id, "--hostname", "h-" + id, "busybox", "sleep", "300");

            var ip = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}", a)).Trim();
            Assert.Equal(prefix + ".2", ip);
            var mac = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").MacAddress}}}}", a)).Trim();
            Assert.Matches("^02:42:0a:", mac);

            // Name, alias and short id resolve through the embedded DNS server on the gateway, and the address answers.
            var probe = await daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c",
                $"cat /etc/resolv.conf; nslookup {a} && nslookup api-{id} && ping -c 1 -W 2 {a}");
            Assert.True(probe.ExitCode == 0, probe.ToString());
            Assert.Contains($"nameserver {prefix}.1", probe.Stdout);
            Assert.Contains(ip, probe.Stdout);

            // A container on another network cannot resolve it (only names on shared networks answer).
            var isolated = await daemon.DockerAsync("run", "--rm", "--network", other, "busybox", "nslookup", a);
            Assert.NotEqual(0, isolated.ExitCode);

            using var doc = JsonDocument.Parse(await OkAsync("network", "inspect", net));
            var resource = doc.RootElement[0];
            Assert.Equal(prefix + ".0/24", resource.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString());
            Assert.Equal(prefix + ".1", resource.GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString());
            var endpoint = resource.GetProperty("Containers").EnumerateObject().Single().Value;
            Assert.Equal(a, endpoint.GetProperty("Name").GetString());
            Assert.Equal(ip + "/24", endpoint.GetProperty("IPv4Address").GetString());
            Assert.Equal(mac, endpoint.GetProperty("MacAddress").GetString());

            var ls = await OkAsync("network", "ls", "--filter", "label=suite=e2e", "--format", "{{.Name}}");
            Assert.Contains(net, ls);
            Assert.DoesNotContain(other, ls);

            // Docker's errors, nothing half-applied.
            var overlap = await daemon.DockerAsync("network", "create", "--subnet", prefix + ".128/25", "e2e-overlap-" + id);
            Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
            var busy = await daemon.DockerAsync("network", "rm", net);
            Assert.Contains("has active endpoints", busy.Stderr);
            var twice = await daemon.DockerAsync("network", "connect", net, a);
            Assert.Contains("already exists in network", twice.Stderr);
            var taken = await daemon.DockerAsync("run", "--rm", "--network", net, "--ip", ip, "busybox", "true");
            Assert.Contains("Address already in use", taken.Stderr);
            var missing = await daemon.DockerAsync("run", "--rm", "--network", "no-such-net-" + id, "busybox", "true");
            Assert.Contains("not found", missing.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", a);
            await daemon.DockerAsync("network", "rm", net, other);
        }
        var gone = await daemon.DockerAsync("network", "inspect", net);
        Assert.NotEqual(0, gone.ExitCode);
    }

    [Fact]
    public async Task DefaultBridge_GatewayReachable_PublishedPortOn127001_AndTeardownOnStop()
    {
        var id = Unique();
        var name = "srv-" + id;
        var hostPort = LoopbackPorts.FreeTcp();
        try
        {
            await OkAsync("run", "-d", "--name", name, "-p", $"127.0.0.1:{hostPort}:80", "busybox", "sh", "-c",
                "mkdir -p /www && echo hello-from-wharf > /www/index.html && exec httpd -f -p 80 -h /www");
            var gateway = (await OkAsync("inspect", "-f", "{{.NetworkSettings.Gateway}}", name)).Trim();
            var ip = (await OkAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name)).Trim();
            Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", ip);

            var port = await OkAsync("port", name);
            Assert.Equal($"80/tcp -> 127.0.0.1:{hostPort}\n", port);
            var ps = await OkAsync("ps", "--filter", "name=" + name, "--format", "{{.Ports}}");
            Assert.Contains($"127.0.0.1:{hostPort}->80/tcp", ps);

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string body = "";
            for (var attempt = 0; attempt < 50 && !body.Contains("hello-from-wharf", StringComparison.Ordinal); attempt++)
            {
                try { body = await http.GetStringAsync($"http://127.0.0.1:{hostPort}/index.html"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            Assert.Contains("hello-from-wharf", body);

            // Another container on the default bridge reaches the gateway and the server by address (no names there).
            var probe = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", $"ping -c 1 -W 2 {gateway} && wget -q -O - http://{ip}/index.html");
            Assert.True(probe.ExitCode == 0, probe.ToString());
            Assert.Contains("hello-from-wharf", probe.Stdout);

            // The host port is taken now: Docker's error, and the second container is not left running.
            var conflict = await daemon.DockerAsync("run", "-d", "--name", "dup-" + id, "-p", $"127.0.0.1:{hostPort}:80", "busybox", "sleep", "30");
            Assert.NotEqual(0, conflict.ExitCode);
            Assert.Contains("port is already allocated", conflict.Stderr);

            await OkAsync("stop", "-t", "1", name);
            Assert.Equal("\n", await OkAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name));
            Assert.False(LoopbackPorts.Accepts(hostPort), "the published port must be closed after stop");
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", name, "dup-" + id);
        }
    }

    [Fact]
    public async Task InternalNetwork_NoDefaultRoute_ConnectDisconnectRunningContainer()
    {
        var id = Unique();
        var internalNet = "e2e-int-" + id;
        var second = "e2e-second-" + id;
        var c = "conn-" + id;
        var prefix = RandomSubnet();
        try
        {
            await OkAsync("network", "create", "--internal", internalNet);
            await OkAsync("network", "create", "--subnet", prefix + ".0/24", second);
            var routes = await OkAsync("run", "--rm", "--network", internalNet, "busybox", "ip", "route");
            Assert.DoesNotContain("default", routes);

            await OkAsync("run", "-d", "--name", c, "--network", internalNet, "busybox", "sleep", "300");
            await OkAsync("network", "connect", "--ip", prefix + ".77", "--alias", "late-" + id, second, c);
            var nets = await OkAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}", c);
            Assert.Contains($"{second}={prefix}.77", nets);
            var ping = await daemon.DockerAsync("run", "--rm", "--network", second, "busybox", "sh", "-c", $"ping -c 1 -W 2 {prefix}.77 && nslookup late-{id}");
            Assert.True(ping.ExitCode == 0, ping.ToString());

            await OkAsync("network", "disconnect", second, c);
            Assert.DoesNotContain(second, await OkAsync("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c));
            var after = await daemon.DockerAsync("run", "--rm", "--network", second, "busybox", "ping", "-c", "1", "-W", "1", prefix + ".77");
            Assert.NotEqual(0, after.ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            await daemon.DockerAsync("network", "rm", internalNet, second);
        }
    }

    [Fact]
    public async Task WharfCli_NetworkCreateLsInspectConnectPortRm()
    {
        var id = Unique();
        var net = "wharf-cli-net-" + id;
        var c = "wcli-" + id;
        var hostPort = LoopbackPorts.FreeTcp();
        try
        {
            var create = await daemon.WharfAsync("network", "create", "--subnet", RandomSubnet() + ".0/24", "-o", "com.docker.network.bridge.enable_icc=false", net);
            Assert.True(create.ExitCode == 0, create.ToString());
            Assert.Matches("^[0-9a-f]{64}\n$", create.Stdout);
            var ls = await daemon.WharfAsync("network", "ls");
            Assert.Matches($"(?m)^[0-9a-f]{{12}} +{net} +bridge +local$", ls.Stdout);
            Assert.Contains("NETWORK ID", ls.Stdout);
            var inspect = await daemon.WharfAsync("network", "inspect", "-f", "{{.Driver}} {{index .Options \"com.docker.network.bridge.enable_icc\"}}", net);
            Assert.Equal("bridge false\n", inspect.Stdout);

            var run = await daemon.WharfAsync("run", "-d", "--name", c, "-p", $"127.0.0.1:{hostPort}:7/udp", "busybox", "sleep", "300");
            Assert.True(run.ExitCode == 0, run.ToString());
            var connect = await daemon.WharfAsync("network", "connect", net, c);
            Assert.True(connect.ExitCode == 0, connect.ToString());
            Assert.Contains(c, (await daemon.WharfAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", net)).Stdout);
            Assert.Equal($"127.0.0.1:{hostPort}\n", (await daemon.WharfAsync("port", c, "7/udp")).Stdout);

            var busy = await daemon.WharfAsync("network", "rm", net);
            Assert.NotEqual(0, busy.ExitCode);
            Assert.Contains("has active endpoints", busy.Stderr);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c);
            var rm = await daemon.WharfAsync("network", "rm", net);
            Assert.Equal(net + "\n", rm.Stdout);
        }
    }
}
