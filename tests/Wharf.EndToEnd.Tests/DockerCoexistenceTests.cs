using System.Diagnostics;

namespace Wharf.EndToEnd.Tests;

/// <summary>Wharf and Debian's dockerd on one host (people migrate with both installed), in a network namespace this
/// test makes so the host's own rules are never touched: each engine's rules survive the other's restart. dockerd
/// flushes its DOCKER and DOCKER-ISOLATION-* chains at every start, and a wharfd restart reconciles the rules in the
/// chains it believes are its own — so neither may keep rules in the other's chains.</summary>
public sealed class DockerCoexistenceTests
{
    [Fact]
    public async Task RulesOfEachEngine_SurviveTheOthersRestart()
    {
        if (!RealDockerDaemon.Available) Assert.Fail($"{RealDockerDaemon.Binary} is missing: install docker.io (test.sh does)");
        var id = Guid.NewGuid().ToString("N")[..6];
        var netns = "whx-" + id;
        Assert.Equal(0, Run("ip", "netns", "add", netns).ExitCode);
        var wharf = new DaemonFixture { NetworkNamespace = "/run/netns/" + netns };
        var docker = new RealDockerDaemon("/run/netns/" + netns);
        try
        {
            Assert.Equal(0, Run("ip", "-n", netns, "link", "set", "lo", "up").ExitCode);
            // wharfd first: dockerd then picks a docker0 subnet that does not overlap wharf0's, as on a real host.
            await wharf.InitializeAsync();
            await docker.StartAsync();

            // Wharf: a user-defined network (isolation rules, DNS) with a published port (DNAT and ACCEPT rules).
            await Ok(wharf.DockerAsync("network", "create", "wn-" + id));
            await Ok(wharf.DockerAsync("run", "-d", "--name", "srv", "--network", "wn-" + id, "-p", "18080:80", "busybox", "sleep", "300"));
            await Ok(wharf.DockerAsync("run", "-d", "--name", "cli", "--network", "wn-" + id, "busybox", "sleep", "300"));
            // A published port's DNAT rules land a moment after the start (the proxy serves until then: HeldPortRules).
            var wharfRules = await RulesOnceAsync(netns, "WHARF", r => r.Contains("--dport 18080 -j DNAT", StringComparison.Ordinal));
            Assert.Contains(wharfRules, r => r.StartsWith("filter -A WHARF-ISOLATION-STAGE-1 ", StringComparison.Ordinal));
            Assert.DoesNotContain(Rules(netns, "DOCKER"), r => r.Contains("18080", StringComparison.Ordinal));

            // Docker: a container with a published port of its own.
            var import = await CommandRunner.RunAsync("bash", ["-c", $"'{TestBinaries.BusyboxRootfsScript}' | '{TestBinaries.Docker}' import - busybox:latest"], docker.Env);
            Assert.True(import.ExitCode == 0, import.ToString());
            await Ok(docker.DockerAsync("run", "-d", "--name", "dsrv", "-p", "18081:80", "busybox", "sleep", "300"));
            var dockerRules = Rules(netns, "DOCKER");
            Assert.Contains(dockerRules, r => r.Contains("--dport 18081 -j DNAT", StringComparison.Ordinal));

            // dockerd restarts (flushing its chains): Wharf's rules are all still there, and DNS still answers.
            await docker.StopAsync();
            await docker.StartAsync();
            Assert.Empty(wharfRules.Except(Rules(netns, "WHARF")));
            await Ok(wharf.DockerAsync("exec", "cli", "nslookup", "srv"));

            // wharfd restarts (reconciling its chains): Docker's rules are all still there.
            await Ok(docker.DockerAsync("start", "dsrv"));
            dockerRules = Rules(netns, "DOCKER");
            await wharf.StopDaemonAsync();
            await wharf.StartDaemonAsync();
            Assert.Empty(dockerRules.Except(Rules(netns, "DOCKER")));
            await RulesOnceAsync(netns, "WHARF", r => r.Contains("--dport 18080 -j DNAT", StringComparison.Ordinal));
        }
        finally
        {
            try { await docker.DockerAsync("rm", "-f", "dsrv"); }
            finally
            {
                await docker.DisposeAsync();
                await wharf.DisposeAsync();
                Run("ip", "netns", "del", netns);
            }
        }
    }

    private static async Task Ok(Task<CommandResult> command)
    {
        var result = await command;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>The rules of <paramref name="engine"/> once one of them matches <paramref name="expected"/> (within
    /// ten seconds, else the test fails showing what there was).</summary>
    private static async Task<List<string>> RulesOnceAsync(string netns, string engine, Func<string, bool> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var rules = Rules(netns, engine);
            if (rules.Any(expected) || DateTime.UtcNow > deadline)
            {
                Assert.Contains(rules, r => expected(r));
                return rules;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The rules (iptables-save lines, filter and nat) in the namespace whose chain, or jump target, starts
    /// with <paramref name="engine"/> and that do not belong to the shared DOCKER-USER.</summary>
    private static List<string> Rules(string netns, string engine)
    {
        var lines = new List<string>();
        foreach (var table in new[] { "filter", "nat" })
        {
            var save = Run("ip", "netns", "exec", netns, "iptables-save", "-t", table);
            Assert.True(save.ExitCode == 0, save.Output);
            lines.AddRange(save.Output.Split('\n').Where(l => l.StartsWith("-A ", StringComparison.Ordinal)
                && !l.Contains("DOCKER-USER", StringComparison.Ordinal)
                && (l.StartsWith($"-A {engine}", StringComparison.Ordinal) || l.Contains($"-j {engine}", StringComparison.Ordinal)))
                .Select(l => table + " " + l));
        }
        return lines;
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
