using System.Diagnostics;
using System.Text.RegularExpressions;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

/// <summary>
/// Every command wharf shares with the docker CLI offers docker's flags: `docker X --help` is run for each spelling
/// and its flags compared with wharf's. The flags wharf does not have yet are listed here with the reason, so a new gap
/// fails the test, and so does an entry that is no longer a gap.
/// </summary>
public sealed partial class DockerHelpParityTests
{
    private const string ContainerResources =
        "annotation blkio-weight-device cgroup-parent cpu-count cpu-percent cpu-rt-period cpu-rt-runtime device-cgroup-rule device-read-bps "
        + "device-read-iops device-write-bps device-write-iops disable-content-trust gpus io-maxbandwidth io-maxiops isolation kernel-memory "
        + "label-file link-local-ip quiet storage-opt use-api-socket";

    private const string BuildResources =
        "cache-from cgroup-parent compress cpu-period cpu-quota cpu-shares cpuset-cpus cpuset-mems disable-content-trust isolation memory "
        + "memory-swap security-opt shm-size squash ulimit";

    /// <summary>Canonical command → docker flags wharf lacks. Why: Windows-only or swarm/cluster features (isolation, cluster
    /// volumes, config-only networks), content trust (Notary), cgroup v1 or realtime knobs the engine does not model,
    /// multi-platform stores (--platform on image verbs), BuildKit-era build options the legacy builder never had in
    /// wharfd, and a few output options not written yet (history/system df --format, image ls --tree).</summary>
    private static readonly Dictionary<string, string> NotYet = new(StringComparer.Ordinal)
    {
        ["container create"] = ContainerResources,
        ["container run"] = ContainerResources,
        ["container start"] = "checkpoint checkpoint-dir",
        ["container update"] = "cpu-rt-period cpu-rt-runtime",
        ["image build"] = BuildResources,
        ["builder prune"] = "keep-storage",
        ["image history"] = "format platform",
        ["image inspect"] = "platform",
        ["image ls"] = "tree",
        ["image load"] = "platform",
        ["image pull"] = "disable-content-trust",
        ["image push"] = "disable-content-trust platform",
        ["image rm"] = "platform",
        ["image save"] = "platform",
        ["network connect"] = "driver-opt gw-priority link-local-ip",
        ["network create"] = "aux-address config-from config-only ingress ipam-opt ipv4 scope",
        ["network inspect"] = "verbose",
        ["system df"] = "format",
        ["volume create"] = "availability group limit-bytes required-bytes scope secret sharing topology-preferred topology-required type",
        ["volume ls"] = "cluster",
    };

    [GeneratedRegex(@"^\s+(?:-\w, )?--([a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex FlagLine();

    private static string? DockerHelp(string spelling)
    {
        var docker = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "docker")).FirstOrDefault(File.Exists);
        if (docker is null)
        {
            return null;
        }

        var start = new ProcessStartInfo(docker) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in spelling.Split(' '))
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add("--help");
        // No daemon is asked for --help; an unreachable host makes sure of it.
        start.Environment["DOCKER_HOST"] = "unix:///nonexistent/docker.sock";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill();
            return null;
        }

        // docker prints its main help for words it does not know ("tls init"): only its own usage of the spelling counts.
        return process.ExitCode == 0 && output.Result.StartsWith($"Usage:  docker {spelling}", StringComparison.Ordinal) ? output.Result : null;
    }

    private static IEnumerable<string> Flags(string help) =>
        FlagLine().Matches(help[Math.Max(0, help.IndexOf("\nOptions:", StringComparison.Ordinal))..]).Select(m => m.Groups[1].Value);

    [Fact]
    public void Help_EverySharedCommand_OffersDockersFlags()
    {
        var missing = new List<string>();
        var stale = new List<string>();
        var compared = 0;
        foreach (var (spelling, command) in CommandCatalog.Default.BySpelling.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (DockerHelp(spelling) is not { } help)
            {
                continue;
            }

            compared++;
            var ours = command.Options.Select(o => o.Name).Append("help").ToHashSet(StringComparer.Ordinal);
            var known = NotYet.TryGetValue(command.Name, out var gaps) ? gaps.Split(' ').ToHashSet(StringComparer.Ordinal) : [];
            var theirs = Flags(help).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(theirs.Where(f => !ours.Contains(f) && !known.Contains(f)).Select(f => $"{spelling}: --{f}"));
            stale.AddRange(known.Where(f => ours.Contains(f) || !theirs.Contains(f)).Select(f => $"{command.Name}: --{f} is listed as missing but is not"));
        }

        if (compared == 0)
        {
            return; // no docker CLI on this machine: nothing to compare with
        }

        Assert.True(missing.Count == 0, "flags docker has and wharf lacks:\n" + string.Join('\n', missing));
        Assert.True(stale.Count == 0, string.Join('\n', stale.Distinct()));
        Assert.True(compared > 60, $"only {compared} commands compared");
    }

    [Fact]
    public void Flags_DockerStyleHelp_ParsesShortAndLongForms()
    {
        const string help = "Usage:  docker x\n\nOptions:\n  -a, --all             Show all\n      --format string   Format\n                        continued --notaflag\n";

        Assert.Equal(["all", "format"], Flags(help));
    }
}
