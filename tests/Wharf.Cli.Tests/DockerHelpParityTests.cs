using System.Diagnostics;
using System.Text.RegularExpressions;
using Wharf.Cli.Commands;
using Wharf.Cli.Output;

namespace Wharf.Cli.Tests;

/// <summary>
/// Every command wharf shares with the docker CLI offers docker's flags with docker's shorthands, value kinds and
/// defaults, and docker's aliases: `docker X --help` is run for each spelling and compared with `wharf X --help`.
/// Docker commands wharf has no spelling for are compared the same way. What wharf does not offer yet is listed here
/// with the reason, so a new gap fails the test, and so does an entry that is no longer a gap.
/// </summary>
public sealed partial class DockerHelpParityTests
{
    /// <summary>Canonical command → docker flags wharf lacks. Why: swarm/cluster features (cluster volumes, config-only
    /// networks), GPU device requests (--gpus needs a device driver such as NVIDIA's container toolkit, which the engine
    /// does not have), multi-platform stores (--platform on image inspect
    /// and load), CRIU checkpoints, and image ls --tree (a multi-platform view).</summary>
    private static readonly Dictionary<string, string> NotYet = new(StringComparer.Ordinal)
    {
        ["container create"] = "gpus",
        ["container run"] = "gpus",
        ["container start"] = "checkpoint checkpoint-dir",
        ["image inspect"] = "platform",
        ["image ls"] = "tree",
        ["image load"] = "platform",
        ["network create"] = "config-from config-only ingress scope",
        ["volume create"] = "availability group limit-bytes required-bytes scope secret sharing topology-preferred topology-required type",
        ["volume ls"] = "cluster",
    };

    /// <summary>docker commands (as `docker --help` lists them) with no wharf spelling, and why. Swarm mode, plugins,
    /// Notary trust and CRIU checkpoints are features of a cluster or of host tooling the engine does not have; manifest
    /// lists are multi-platform (wharf's image store holds one platform); `volume update` changes cluster volumes only.</summary>
    private static readonly Dictionary<string, string> NotOffered = new(StringComparer.Ordinal)
    {
        ["checkpoint"] = "CRIU checkpoints",
        ["config"] = "swarm",
        ["node"] = "swarm",
        ["plugin"] = "managed plugins",
        ["secret"] = "swarm",
        ["service"] = "swarm",
        ["stack"] = "swarm",
        ["swarm"] = "swarm",
        ["trust"] = "Notary",
        ["manifest annotate"] = "manifest lists",
        ["manifest create"] = "manifest lists",
        ["manifest push"] = "manifest lists",
        ["manifest rm"] = "manifest lists",
        ["volume update"] = "cluster volumes",
    };

    /// <summary>One flag as pflag prints it: "  -n, --last int   Show n last ... (default -1)".</summary>
    internal sealed record HelpFlag(char? Short, string? Kind, string? Default);

    [GeneratedRegex(@"^(?:  -(\w), |      )--([a-z0-9-]+)(?: ([\w-]+))?(?:\s{2,}(.*))?$")]
    private static partial Regex FlagLine();

    [GeneratedRegex(@"\(default (.*)\)$")]
    private static partial Regex DefaultSuffix();

    [GeneratedRegex(@"^  ([a-z][a-z-]*)\s")]
    private static partial Regex CommandLine();

    private static string? DockerExecutable() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "docker")).FirstOrDefault(File.Exists);

    private static string? DockerHelp(string spelling)
    {
        if (DockerExecutable() is not { } docker)
        {
            return null;
        }

        var start = new ProcessStartInfo(docker) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in spelling.Split(' ', StringSplitOptions.RemoveEmptyEntries))
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
        var expected = spelling.Length == 0 ? "Usage:  docker [OPTIONS]" : $"Usage:  docker {spelling}";
        return process.ExitCode == 0 && output.Result.StartsWith(expected, StringComparison.Ordinal) ? output.Result : null;
    }

    /// <summary>The "Options:" section, each flag with its shorthand, value kind (null for a bool) and pflag default.</summary>
    internal static Dictionary<string, HelpFlag> Flags(string help)
    {
        var flags = new Dictionary<string, (char? Short, string? Kind, string Usage)>(StringComparer.Ordinal);
        var start = help.IndexOf("\nOptions:\n", StringComparison.Ordinal);
        string? current = null;
        foreach (var line in start < 0 ? [] : help[(start + "\nOptions:\n".Length)..].Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                break;
            }

            if (FlagLine().Match(line) is { Success: true } m)
            {
                current = m.Groups[2].Value;
                flags[current] = (m.Groups[1].Success ? m.Groups[1].Value[0] : null, m.Groups[3].Success ? m.Groups[3].Value : null, m.Groups[4].Value);
            }
            else if (current is not null)
            {
                flags[current] = flags[current] with { Usage = flags[current].Usage + " " + line.Trim() };
            }
        }

        return flags.ToDictionary(
            f => f.Key,
            f =>
            {
                var shown = DefaultSuffix().Match(f.Value.Usage) is { Success: true } d ? d.Groups[1].Value : null;
                // A bool's only pflag default is "true"; "(default shows just running)" is the usage's own prose.
                return new HelpFlag(f.Value.Short, f.Value.Kind, f.Value.Kind is null && shown != "true" ? null : shown);
            },
            StringComparer.Ordinal);
    }

    /// <summary>The spellings under "Aliases:" without the program name.</summary>
    internal static HashSet<string> Aliases(string help, string program)
    {
        var start = help.IndexOf("\nAliases:\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return [];
        }

        var line = help[(start + "\nAliases:\n".Length)..].Split('\n')[0];
        return line.Split(',', StringSplitOptions.TrimEntries).Select(a => a[(program.Length + 1)..]).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Command words listed in a help's command sections ("Common Commands", "Commands", ...).</summary>
    private static IEnumerable<(string Section, string Word)> ListedCommands(string help)
    {
        var section = "";
        foreach (var line in help.Split('\n'))
        {
            if (line.EndsWith(':') && !line.StartsWith(' '))
            {
                section = line[..^1];
            }
            else if (section.EndsWith("Commands", StringComparison.Ordinal) && CommandLine().Match(line) is { Success: true } m)
            {
                yield return (section, m.Groups[1].Value);
            }
        }
    }

    [Fact]
    public void Help_EverySharedCommand_OffersDockersFlagsShorthandsKindsAndDefaults()
    {
        var missing = new List<string>();
        var different = new List<string>();
        var stale = new List<string>();
        var compared = 0;
        foreach (var (spelling, command) in CommandCatalog.Default.BySpelling.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (DockerHelp(spelling) is not { } help)
            {
                continue;
            }

            compared++;
            var ours = Flags(HelpText.Command(command, spelling));
            var known = NotYet.TryGetValue(command.Name, out var gaps) ? gaps.Split(' ').ToHashSet(StringComparer.Ordinal) : [];
            var theirs = Flags(help);
            theirs.Remove("help");
            foreach (var (name, flag) in theirs)
            {
                if (!ours.TryGetValue(name, out var mine))
                {
                    if (!known.Contains(name))
                    {
                        missing.Add($"{spelling}: --{name}");
                    }
                }
                else if (mine != flag)
                {
                    different.Add($"{spelling}: --{name} is {mine} in wharf, {flag} in docker");
                }
            }

            stale.AddRange(known.Where(f => ours.ContainsKey(f) || !theirs.ContainsKey(f)).Select(f => $"{command.Name}: --{f} is listed as missing but is not"));
        }

        if (compared == 0)
        {
            return; // no docker CLI on this machine: nothing to compare with
        }

        Assert.True(missing.Count == 0, "flags docker has and wharf lacks:\n" + string.Join('\n', missing));
        Assert.True(different.Count == 0, "flags that differ:\n" + string.Join('\n', different));
        Assert.True(stale.Count == 0, string.Join('\n', stale.Distinct()));
        Assert.True(compared > 60, $"only {compared} commands compared");
    }

    [Fact]
    public void Help_EverySharedCommand_ListsDockersAliases()
    {
        var different = new List<string>();
        foreach (var command in CommandCatalog.Default.Commands)
        {
            if (DockerHelp(command.Name) is not { } help)
            {
                continue;
            }

            var theirs = Aliases(help, "docker");
            var ours = Aliases(HelpText.Command(command, command.Name), "wharf");
            if (theirs.Count > 0 && !theirs.SetEquals(ours))
            {
                different.Add($"{command.Name}: docker [{string.Join(", ", theirs.Order())}], wharf [{string.Join(", ", ours.Order())}]");
            }
        }

        Assert.True(different.Count == 0, "aliases that differ:\n" + string.Join('\n', different));
    }

    [Fact]
    public void Catalog_EveryDockerCommand_IsOfferedOrListedWithAReason()
    {
        if (DockerHelp("") is not { } root)
        {
            return;
        }

        var theirs = new List<string>();
        foreach (var (section, word) in ListedCommands(root))
        {
            if (section.StartsWith("Management", StringComparison.Ordinal) || section.StartsWith("Swarm", StringComparison.Ordinal))
            {
                theirs.AddRange(DockerHelp(word) is { } group ? ListedCommands(group).Select(c => $"{word} {c.Word}") : [word]);
            }
            else
            {
                theirs.Add(word);
            }
        }

        bool Excused(string spelling) => NotOffered.ContainsKey(spelling) || NotOffered.ContainsKey(spelling.Split(' ')[0]);
        var missing = theirs.Where(s => !CommandCatalog.Default.BySpelling.ContainsKey(s) && !Excused(s) && s.Split(' ')[0] != "compose").ToList();
        var stale = NotOffered.Keys.Where(k => CommandCatalog.Default.BySpelling.ContainsKey(k) || CommandCatalog.Default.Groups.Contains(k)).ToList();

        Assert.True(theirs.Count > 80, $"only {theirs.Count} docker commands found");
        Assert.True(missing.Count == 0, "docker commands wharf lacks:\n" + string.Join('\n', missing));
        Assert.True(stale.Count == 0, "listed as not offered but present: " + string.Join(", ", stale));
    }

    [Fact]
    public void Flags_DockerStyleHelp_ParsesShorthandKindAndDefault()
    {
        const string help = "Usage:  docker x\n\nOptions:\n  -a, --all             Show all (default shows just running)\n      --format string   Format\n"
            + "                        continued --notaflag\n  -n, --last int        Show n last created containers (includes all\n"
            + "                        states) (default -1)\n      --sig-proxy       Proxy signals (default true)\n"
            + "      --pull string     Pull (default \"missing\")\n";

        var flags = Flags(help);

        Assert.Equal(["all", "format", "last", "sig-proxy", "pull"], flags.Keys);
        Assert.Equal(new HelpFlag('a', null, null), flags["all"]);
        Assert.Equal(new HelpFlag(null, "string", null), flags["format"]);
        Assert.Equal(new HelpFlag('n', "int", "-1"), flags["last"]);
        Assert.Equal(new HelpFlag(null, null, "true"), flags["sig-proxy"]);
        Assert.Equal(new HelpFlag(null, "string", "\"missing\""), flags["pull"]);
    }

    [Fact]
    public void Aliases_DockerStyleHelp_DropsTheProgramName()
    {
        const string help = "Usage:  docker ps\n\nList containers\n\nAliases:\n  docker container ls, docker container list, docker ps\n\nOptions:\n";

        Assert.Equal(["container ls", "container list", "ps"], Aliases(help, "docker"));
    }
}
