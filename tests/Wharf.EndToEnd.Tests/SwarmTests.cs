namespace Wharf.EndToEnd.Tests;

/// <summary>Swarm mode as far as one node goes, with the real docker CLI: `docker swarm init` makes the daemon the
/// manager of a swarm of one; swarm-scoped overlay networks take containers when attachable and refuse them when not;
/// `docker swarm leave --force` takes the swarm's networks and disconnects the containers on them. Only loopback and
/// the test's own network are used; the swarm is left and every container removed even when the test fails.</summary>
[Collection(DaemonCollection.Name)]
public sealed class SwarmTests(DaemonFixture daemon)
{
    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}\n{daemon.DaemonLog()[^Math.Min(3000, daemon.DaemonLog().Length)..]}");
        return r.Stdout;
    }

    [Fact]
    public async Task SwarmOfOne_Init_AttachableOverlay_PingsByName_NonAttachableRefused_LeaveTakesItsNetworks()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var attachable = "e2e-swarm-att-" + id;
        var servicesOnly = "e2e-swarm-svc-" + id;
        var server = "e2e-swarm-a-" + id;
        try
        {
            var plugins = await OkAsync("info", "--format", "{{json .Plugins.Network}}");
            Assert.Contains("\"overlay\"", plugins, StringComparison.Ordinal);
            Assert.Contains("\"bridge\"", plugins, StringComparison.Ordinal);
            var init = await OkAsync("swarm", "init", "--advertise-addr", "127.0.0.1");
            Assert.Contains("is now a manager", init, StringComparison.Ordinal);
            Assert.Equal("active true 1", (await OkAsync("info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.Managers}}")).Trim());
            Assert.Contains("Leader", await OkAsync("node", "ls", "--format", "{{.ManagerStatus}} {{.Status}}"), StringComparison.Ordinal);
            var again = await daemon.DockerAsync("swarm", "init", "--advertise-addr", "127.0.0.1");
            Assert.NotEqual(0, again.ExitCode);
            Assert.Contains("This node is already part of a swarm", again.Stderr, StringComparison.Ordinal);

            var prefix = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";
            await OkAsync("network", "create", "-d", "overlay", "--attachable", "--subnet", prefix + ".0/24", attachable);
            await OkAsync("network", "create", "-d", "overlay", servicesOnly);
            var swarmNetworks = (await OkAsync("network", "ls", "--filter", "scope=swarm", "--format", "{{.Name}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains("ingress", swarmNetworks);
            Assert.Contains(attachable, swarmNetworks);
            Assert.Contains(servicesOnly, swarmNetworks);
            Assert.Equal("swarm true", (await OkAsync("network", "inspect", attachable, "--format", "{{.Scope}} {{.Attachable}}")).Trim());

            await OkAsync("run", "-d", "--pull", "never", "--name", server, "--network", attachable, "busybox", "sleep", "300");
            Assert.Contains("1 packets received", await OkAsync("run", "--rm", "--pull", "never", "--network", attachable, "busybox", "ping", "-c", "1", "-W", "3", server), StringComparison.Ordinal);
            var refused = await daemon.DockerAsync("run", "--rm", "--pull", "never", "--network", servicesOnly, "busybox", "true");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains($"network {servicesOnly} not manually attachable", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal("", (await OkAsync("secret", "ls", "-q")).Trim());

            var unforced = await daemon.DockerAsync("swarm", "leave");
            Assert.NotEqual(0, unforced.ExitCode);
            Assert.Contains("Use `--force` to ignore this message", unforced.Stderr, StringComparison.Ordinal);
            await OkAsync("swarm", "leave", "--force");

            Assert.Equal("inactive", (await OkAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).Trim());
            var left = await OkAsync("network", "ls", "--format", "{{.Name}}");
            Assert.DoesNotContain(attachable, left, StringComparison.Ordinal);
            Assert.DoesNotContain("ingress", left, StringComparison.Ordinal);
            Assert.DoesNotContain("eth0", await OkAsync("exec", server, "ip", "-o", "link"), StringComparison.Ordinal);
            Assert.Equal("0 " + attachable, (await OkAsync("inspect", server, "--format", "{{len .NetworkSettings.Networks}} {{.HostConfig.NetworkMode}}")).Trim());
            var outside = await daemon.DockerAsync("network", "create", "-d", "overlay", "e2e-swarm-late-" + id);
            Assert.NotEqual(0, outside.ExitCode);
            Assert.Contains("This node is not a swarm manager", outside.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", server);
            await daemon.DockerAsync("swarm", "leave", "--force");
        }
    }
}
