namespace Wharf.EndToEnd.Tests;

/// <summary>IPv6 bridge networks (a ULA subnet, ip6tables rules) and macvlan/ipvlan networks on a parent link the
/// test creates (a veth pair: the CI kernel has no dummy driver), never the host's real interface. Where the kernel
/// lacks a driver (ipvlan, 802.1q VLANs) the test checks the failure is clean instead.</summary>
[Collection(DaemonCollection.Name)]
public sealed class NetworkDriverTests(DaemonFixture daemon)
{
    private static string Unique() => Guid.NewGuid().ToString("N")[..6];

    private async Task<string> OkAsync(params string[] args)
    {
        var r = await daemon.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private static async Task<CommandResult> HostAsync(string tool, params string[] args) =>
        await CommandRunner.RunAsync(tool, args, new Dictionary<string, string>());

    [Fact]
    public async Task Ipv6Network_UlaAddresses_ContainersPingOverV6_Ip6tablesRulesAddedAndRemoved()
    {
        var id = Unique();
        var net = "e2e-v6-" + id;
        var ula = $"fd{Random.Shared.Next(0, 256):x2}:{Random.Shared.Next(1, 65535):x}:{Random.Shared.Next(1, 65535):x}:{Random.Shared.Next(1, 65535):x}";
        var subnet = ula + "::/64";
        var c1 = "v6a-" + id;
        try
        {
            await OkAsync("network", "create", "--ipv6", "--subnet", subnet, net);
            await OkAsync("run", "-d", "--name", c1, "--network", net, "busybox", "sleep", "300");
            var v6 = (await OkAsync("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{net}\").GlobalIPv6Address}}}}", c1)).Trim();
            Assert.StartsWith(ula + "::", v6);
            Assert.Contains(v6, await OkAsync("exec", c1, "ip", "-6", "addr", "show", "eth0"));

            var ping = await daemon.DockerAsync("run", "--rm", "--network", net, "busybox", "sh", "-c", $"ip -6 addr show eth0 && ping6 -c 1 -W 2 {v6}");
            Assert.True(ping.ExitCode == 0, ping.ToString());

            var rules = (await HostAsync("ip6tables-save")).Stdout;
            Assert.Contains($"-A POSTROUTING -s {subnet} ! -o ", rules);
            Assert.Contains("WHARF-ISOLATION-STAGE-1 -i br-", rules);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", c1);
            await daemon.DockerAsync("network", "rm", net);
        }
        Assert.DoesNotContain(subnet, (await HostAsync("ip6tables-save")).Stdout);
    }

    [Fact]
    public async Task MacvlanAndIpvlan_OnTestParent_ContainersPingEachOther_VlanParentCleanOrRemoved()
    {
        var id = Unique();
        var parent = "wtdum" + id;
        var prefix = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";
        var prefix2 = $"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}";
        var (mv, iv, vl) = ("e2e-mv-" + id, "e2e-iv-" + id, "e2e-vl-" + id);
        var m1 = "mv1-" + id;
        try
        {
            Assert.Equal(0, (await HostAsync("ip", "link", "add", parent, "type", "veth", "peer", "name", "wtdp" + id)).ExitCode);
            await HostAsync("ip", "link", "set", parent, "up");
            await HostAsync("ip", "link", "set", "wtdp" + id, "up");

            await OkAsync("network", "create", "-d", "macvlan", "--subnet", prefix + ".0/24", "-o", "parent=" + parent, mv);
            await OkAsync("run", "-d", "--name", m1, "--network", mv, "busybox", "sleep", "300");
            var ping = await daemon.DockerAsync("run", "--rm", "--network", mv, "busybox", "ping", "-c", "1", "-W", "2", prefix + ".2");
            Assert.True(ping.ExitCode == 0, ping.ToString());
            await OkAsync("rm", "-f", m1);
            await OkAsync("network", "rm", mv);

            // ipvlan l2 on the same parent, where the kernel has the driver.
            await OkAsync("network", "create", "-d", "ipvlan", "--subnet", prefix2 + ".0/24", "-o", "parent=" + parent, "-o", "ipvlan_mode=l2", iv);
            if (await KernelHasAsync(parent, "ipvlan"))
            {
                await OkAsync("run", "-d", "--name", m1, "--network", iv, "busybox", "sleep", "300");
                var ipvlanPing = await daemon.DockerAsync("run", "--rm", "--network", iv, "busybox", "ping", "-c", "1", "-W", "2", prefix2 + ".2");
                Assert.True(ipvlanPing.ExitCode == 0, ipvlanPing.ToString());
                await OkAsync("rm", "-f", m1);
            }
            else
            {
                var refused = await daemon.DockerAsync("run", "-d", "--name", m1, "--network", iv, "busybox", "sleep", "300");
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Equal("false\n", (await daemon.DockerAsync("inspect", "-f", "{{.State.Running}}", m1)).Stdout);
                await OkAsync("rm", "-f", m1);
                Assert.Empty((await OkAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", iv)).Trim());
            }
            await OkAsync("network", "rm", iv);

            // parent=<link>.N: the VLAN sub-interface is created on demand and removed with the network; a kernel
            // without 802.1q refuses the network and nothing is left.
            var vlanParent = parent + ".42";
            var created = await daemon.DockerAsync("network", "create", "-d", "macvlan", "--subnet", prefix2 + ".0/24", "-o", "parent=" + vlanParent, vl);
            if (created.ExitCode == 0)
            {
                Assert.Equal(0, (await HostAsync("ip", "link", "show", vlanParent)).ExitCode);
                await OkAsync("network", "rm", vl);
            }
            else
            {
                Assert.NotEqual(0, (await daemon.DockerAsync("network", "inspect", vl)).ExitCode);
            }
            Assert.NotEqual(0, (await HostAsync("ip", "link", "show", vlanParent)).ExitCode);
        }
        finally
        {
            await daemon.DockerAsync("rm", "-f", m1);
            await daemon.DockerAsync("network", "rm", mv, iv, vl);
            await HostAsync("ip", "link", "del", parent);
        }
        Assert.NotEqual(0, (await HostAsync("ip", "link", "show", parent)).ExitCode);
    }

    /// <summary>Whether the kernel can create a <paramref name="kind"/> link (probed on the test's own parent).</summary>
    private static async Task<bool> KernelHasAsync(string parent, string kind)
    {
        var probe = "wtprb" + Unique();
        var created = await HostAsync("ip", "link", "add", probe, "link", parent, "type", kind);
        if (created.ExitCode != 0) return false;
        await HostAsync("ip", "link", "del", probe);
        return true;
    }
}
