using System.Diagnostics;
using System.Globalization;

namespace Wharf.EndToEnd.Tests;

/// <summary>The fault drills of issue 18 §5 on the shared harness: a host that dies leaves the others when its lease
/// runs out and gives its addresses back; a wharfd restarted under live containers keeps their overlay endpoints; an
/// etcd that is down refuses `docker run` on an overlay network cleanly, and once back every daemon carries on with
/// it. Each drill brings the cluster back as it found it (hosts and etcd up, its network and containers gone).</summary>
public sealed partial class ClusterOverlayTests
{
    private static readonly TimeSpan LeaseExpiry = TimeSpan.FromSeconds(30); // the harness's node TTL is 10 s

    [Fact]
    public async Task HostDies_GoneFromTheOthersWhenItsLeaseRunsOut_ItsAddressesBackInThePool()
    {
        var id = await CreateNetworkAsync(1, "ovdead", "10.241.0.0/24");
        try
        {
            await RunOnAsync(1, "dead1", "ovdead");
            await RunOnAsync(3, "dead3", "ovdead");
            var lost = await AddressOfAsync(3, "dead3", "ovdead");
            await AssertReachesAsync(1, "dead1", "dead3");
            var vxlan = "vx-" + id[..12];
            Assert.Contains(lost, await Neighbours(1, vxlan), StringComparison.Ordinal);
            Assert.Contains($"wharf/ipam/{id}/{lost}", await KeysAsync($"wharf/ipam/{id}/"));

            // Host 3 dies whole: its wharfd, its shims and its containers, all at once (SIGKILL).
            var watch = Stopwatch.StartNew();
            KillHost(3, containersToo: true);
            Assert.NotNull(await Eventually(async () => (await KeysAsync("wharf/")).Any(k => k.Contains("10.99.0.13", StringComparison.Ordinal)
                || k.Contains(lost, StringComparison.Ordinal)) ? null : "gone", LeaseExpiry));
            Console.WriteLine($"overlay: dead host's node key and claims gone {watch.ElapsedMilliseconds} ms after the kill");
            Assert.Single(await KeysAsync($"wharf/endpoints/{id}/"));
            // The others forget it: its name no longer resolves on host 1. Its entries stay programmed there for a while
            // (a host only cut from etcd looks the same from here, and its containers' traffic must not stop) until
            // another endpoint takes its address, as below.
            Assert.NotNull(await Eventually(async () => (await Docker(1, "exec", "dead1", "nslookup", "dead3")).ExitCode != 0 ? "gone" : null, TimeSpan.FromSeconds(5)));
            Assert.Contains(lost, await Neighbours(1, vxlan), StringComparison.Ordinal);

            // Its address is free again: host 2 gets exactly it.
            await RunOnAsync(2, "dead2", "ovdead", "--ip", lost);
            Assert.Equal(lost, await AddressOfAsync(2, "dead2", "ovdead"));
            await AssertReachesAsync(1, "dead1", "dead2");
            Assert.DoesNotContain("10.99.0.13", (await RunAsync("nsenter", ["--net=/run/netns/whc-h1", "bridge", "fdb", "show", "dev", vxlan], TimeSpan.FromSeconds(20))).Stdout, StringComparison.Ordinal);
        }
        finally
        {
            // Host 3 back (it registers again); its dead container is removed there.
            await RestartWharfdAsync(3);
            await CleanUpAsync(id, "ovdead", (1, "dead1"), (2, "dead2"), (3, "dead3"));
        }

        Assert.Contains("wharf/nodes/10.99.0.13", await KeysAsync("wharf/nodes/"));
        for (var host = 1; host <= 3; host++) Assert.DoesNotContain(id[..12], await Links(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WharfdRestartedUnderLiveContainers_KeepsTheirOverlayEndpoints()
    {
        var id = await CreateNetworkAsync(2, "ovkeep", "10.242.0.0/24");
        try
        {
            await RunOnAsync(1, "keep1", "ovkeep");
            await RunOnAsync(2, "keep2", "ovkeep");
            await AssertReachesAsync(1, "keep1", "keep2");
            var endpoints = await KeysAsync($"wharf/endpoints/{id}/");
            Assert.Equal(2, endpoints.Count);

            // Host 2's daemon is killed and started again; its container runs on meanwhile.
            KillHost(2, containersToo: false);
            await RestartWharfdAsync(2);

            // The restarted daemon resumed its lease: the endpoint never left the store, and traffic flows both ways
            // by name (host 2's DNS knows host 1's container again, its VXLAN device is programmed again).
            Assert.Equal(endpoints, await KeysAsync($"wharf/endpoints/{id}/"));
            Assert.Equal("true", (await Docker(2, "inspect", "--format", "{{.State.Running}}", "keep2")).Stdout.Trim());
            await AssertReachesAsync(1, "keep1", "keep2");
            await AssertReachesAsync(2, "keep2", "keep1");
        }
        finally
        {
            await CleanUpAsync(id, "ovkeep", (1, "keep1"), (2, "keep2"));
        }

        for (var host = 1; host <= 3; host++) Assert.DoesNotContain(id[..12], await Links(host), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EtcdDown_RunOnOverlayRefusedLeavingNothing_EtcdBack_DaemonsResynchronise()
    {
        var id = await CreateNetworkAsync(1, "ovetcd", "10.244.0.0/24");
        var etcdStopped = false;
        try
        {
            await RunOnAsync(1, "etcd1", "ovetcd");
            Assert.NotNull(await Eventually(async () => (await Docker(2, "network", "ls", "--format", "{{.Name}}")).Stdout.Contains("ovetcd", StringComparison.Ordinal) ? "seen" : null, TimeSpan.FromSeconds(10)));

            await StopEtcdAsync();
            etcdStopped = true;
            var refused = await Docker(2, "run", "-d", "--pull", "never", "--name", "etcd-fail", "--network", "ovetcd", "busybox", "sleep", "3600");
            Assert.True(refused.ExitCode != 0, refused.ToString());
            Assert.Contains("cluster store etcd://10.99.0.1:2379", refused.Stderr, StringComparison.Ordinal);
            // Nothing half-made: no container on host 2, no data plane there.
            Assert.Equal("", (await Docker(2, "ps", "-aq", "--filter", "name=etcd-fail")).Stdout.Trim());
            Assert.DoesNotContain("vx-" + id[..12], await Links(2), StringComparison.Ordinal);

            await StartEtcdAsync();
            etcdStopped = false;
            // Nothing claimed by the refused run; every host still registered (etcd kept their leases).
            Assert.Single(await KeysAsync($"wharf/ipam/{id}/"));
            Assert.Equal(["wharf/nodes/10.99.0.11", "wharf/nodes/10.99.0.12", "wharf/nodes/10.99.0.13"], await KeysAsync("wharf/nodes/"));

            // A container started after the restart on host 2 is reached by name from host 1, and the other way.
            var started = await Eventually(async () =>
            {
                var run = await Docker(2, "run", "-d", "--pull", "never", "--name", "etcd2", "--network", "ovetcd", "busybox", "sleep", "3600");
                if (run.ExitCode == 0) return run;
                await Docker(2, "rm", "-f", "etcd2");
                return null;
            }, TimeSpan.FromSeconds(20));
            Assert.NotNull(started);
            await AssertReachesAsync(1, "etcd1", "etcd2");
            await AssertReachesAsync(2, "etcd2", "etcd1");
        }
        finally
        {
            if (etcdStopped) await StartEtcdAsync();
            await CleanUpAsync(id, "ovetcd", (1, "etcd1"), (2, "etcd2"), (2, "etcd-fail"));
        }
    }

    [Fact]
    public async Task NetworkRmOnOneHost_RacingRunOnAnother_ExactlyOneWins_NothingHalfDone()
    {
        var outcomes = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var name = $"ovrace{round}";
            var container = $"race{round}";
            var id = await CreateNetworkAsync(1, name, $"10.245.{round}.0/24");
            Assert.NotNull(await Eventually(async () => (await Docker(2, "network", "ls", "--format", "{{.Name}}")).Stdout.Split('\n').Contains(name) ? "seen" : null, TimeSpan.FromSeconds(10)));
            // Sent at once, the removal first in even rounds and the run first in odd ones, so the rounds fall on both
            // sides of the moment the run's endpoint claims its address.
            Task<CommandResult> removing, running;
            if (round % 2 == 0)
            {
                removing = Docker(1, "network", "rm", name);
                running = Docker(2, "run", "-d", "--pull", "never", "--name", container, "--network", name, "busybox", "sleep", "3600");
            }
            else
            {
                running = Docker(2, "run", "-d", "--pull", "never", "--name", container, "--network", name, "busybox", "sleep", "3600");
                removing = Docker(1, "network", "rm", name);
            }

            var rm = await removing;
            var run = await running;
            try
            {
                if (rm.ExitCode == 0)
                {
                    // The removal won: the container never ran on the network, and no key of the network is left.
                    Assert.True(run.ExitCode != 0, run.ToString());
                    Assert.NotEqual("true", (await Docker(2, "inspect", "--format", "{{.State.Running}}", container)).Stdout.Trim());
                    Assert.DoesNotContain(await KeysAsync("wharf/"), k => k.Contains(id, StringComparison.Ordinal));
                    Assert.NotNull(await Eventually(async () => (await Links(2)).Contains(id[..12], StringComparison.Ordinal) ? null : "gone", TimeSpan.FromSeconds(5)));
                    outcomes.Add("removed");
                }
                else
                {
                    // The run won: the removal was refused in Docker's words, the network is whole with the endpoint.
                    Assert.True(run.ExitCode == 0, run.ToString());
                    Assert.Contains("has active endpoints", rm.Stderr, StringComparison.Ordinal);
                    Assert.Single(await KeysAsync($"wharf/endpoints/{id}/"));
                    Assert.Contains($"wharf/networks/{id}", await KeysAsync("wharf/networks/"));
                    outcomes.Add("ran");
                }
            }
            finally
            {
                await Docker(2, "rm", "-f", container);
                if (rm.ExitCode != 0) await CleanUpAsync(id, name);
            }
        }

        Console.WriteLine($"overlay: network rm vs run across hosts: {string.Join(", ", outcomes)}");
    }

    private async Task<string> CreateNetworkAsync(int host, string name, string subnet)
    {
        var create = await Docker(host, "network", "create", "-d", "overlay", "--subnet", subnet, name);
        Assert.True(create.ExitCode == 0, create.ToString());
        return create.Stdout.Trim();
    }

    private async Task RunOnAsync(int host, string name, string network, params string[] options)
    {
        var run = await Docker(host, ["run", "-d", "--pull", "never", "--name", name, "--network", network, .. options, "busybox", "sleep", "3600"]);
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    private async Task<string> AddressOfAsync(int host, string container, string network) =>
        (await Docker(host, "inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container)).Stdout.Trim();

    /// <summary><paramref name="from"/> on <paramref name="host"/> pings <paramref name="target"/> by name; a
    /// few seconds' grace for a peer just (re)programmed and the first ARP/DNS round.</summary>
    private async Task AssertReachesAsync(int host, string from, string target)
    {
        CommandResult? last = null;
        var reached = await Eventually(async () =>
        {
            last = await Docker(host, "exec", from, "ping", "-c", "1", "-W", "1", target);
            return last.ExitCode == 0 ? last : null;
        }, TimeSpan.FromSeconds(10));
        Assert.True(reached is not null, $"host {host}: {from} -> {target}: {last}");
    }

    /// <summary>SIGKILL host <paramref name="host"/>'s wharfd and (a host dying whole) every shim and container
    /// process of it: processes whose command line names the host's directory, and those in its cgroup parent.</summary>
    private void KillHost(int host, bool containersToo)
    {
        var dir = Path.Combine(_state, $"h{host}");
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, "wharfd.pid")).Trim(), CultureInfo.InvariantCulture);
        Kill(pid);
        if (!containersToo) return;
        foreach (var process in Process.GetProcesses())
        {
            if (process.Id != Environment.ProcessId && CommandLineOf(process.Id).Contains(dir + "/", StringComparison.Ordinal)) Kill(process.Id);
        }

        foreach (var procs in Directory.EnumerateDirectories("/sys/fs/cgroup")
                     .SelectMany(controller => Directory.Exists(Path.Combine(controller, $"wharf-cluster-h{host}"))
                         ? Directory.EnumerateFiles(Path.Combine(controller, $"wharf-cluster-h{host}"), "cgroup.procs", SearchOption.AllDirectories)
                         : []))
        {
            foreach (var line in File.ReadAllLines(procs))
                if (int.TryParse(line, CultureInfo.InvariantCulture, out var member)) Kill(member);
        }
    }

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    private static string CommandLineOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Starts host <paramref name="host"/>'s wharfd again (a no-op wait when it still runs) and waits until
    /// it is registered in etcd.</summary>
    private async Task RestartWharfdAsync(int host)
    {
        var ping = await RunAsync("curl", ["-fsS", "--max-time", "2", "--unix-socket", Path.Combine(_state, $"h{host}", "wharf.sock"), "http://localhost/_ping"], TimeSpan.FromSeconds(10));
        if (ping.ExitCode != 0)
        {
            var started = await RunAsync("bash", [ClusterFixture.Script("cluster-host.sh"), "--state", _state, "wharfd", host.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(1));
            Assert.True(started.ExitCode == 0, started.ToString());
        }

        Assert.NotNull(await Eventually(async () => (await KeysAsync("wharf/nodes/")).Contains($"wharf/nodes/10.99.0.1{host}") ? "registered" : null, LeaseExpiry));
    }

    private async Task StopEtcdAsync()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_state, "etcd", "etcd.pid")).Trim(), CultureInfo.InvariantCulture);
        using var etcd = Process.GetProcessById(pid);
        etcd.Kill();
        await etcd.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
    }

    private async Task StartEtcdAsync()
    {
        var started = await RunAsync("bash", [ClusterFixture.Script("cluster-host.sh"), "--state", _state, "etcd"], TimeSpan.FromMinutes(1));
        Assert.True(started.ExitCode == 0, started.ToString());
    }

    /// <summary>Removes the drill's containers and its network, and checks that the store keeps nothing of it.</summary>
    private async Task CleanUpAsync(string id, string network, params (int Host, string Container)[] containers)
    {
        foreach (var (host, container) in containers) await Docker(host, "rm", "-f", container);
        var removed = await Eventually(async () => (await Docker(1, "network", "rm", network)) is { ExitCode: 0 } r ? r : null, TimeSpan.FromSeconds(15));
        Assert.NotNull(removed);
        Assert.DoesNotContain(await KeysAsync("wharf/"), k => k.Contains(id, StringComparison.Ordinal) || k.EndsWith("/" + network, StringComparison.Ordinal));
    }
}
