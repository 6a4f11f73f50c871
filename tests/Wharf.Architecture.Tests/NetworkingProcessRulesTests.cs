using System.Text.RegularExpressions;

namespace Wharf.Architecture.Tests;

/// <summary>The networking code never starts `ip` (or any other process) on a container's start path: links,
/// addresses and routes go through Wharf.Linux's own rtnetlink client. The one process it may start is the iptables
/// family's batch tools, and only from IptablesFirewall.</summary>
public sealed partial class NetworkingProcessRulesTests
{
    private static readonly string[] NetworkingFolders = ["src/Wharf.Engine/Networks", "src/Wharf.Linux/Netlink", "src/Wharf.Linux/Firewall"];
    private const string FirewallFile = "src/Wharf.Linux/Firewall/IptablesFirewall.cs";

    private static IEnumerable<string> NetworkingFiles() =>
        NetworkingFolders.SelectMany(folder => RepositoryLayout.SourceFiles(Path.Combine(RepositoryLayout.Root, folder)));

    [Fact]
    public void NetworkingSources_OtherThanIptablesFirewall_StartNoProcess()
    {
        var files = NetworkingFiles().ToList();
        Assert.True(files.Count > 10, "the networking folders were not found: " + string.Join(", ", NetworkingFolders));
        var violations = new List<string>();
        foreach (var file in files.Where(f => RepositoryLayout.Relative(f) != FirewallFile))
        {
            var lines = CSharpCode.StripCommentsAndLiterals(File.ReadAllText(file)).Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (ProcessPattern().Match(lines[i]) is { Success: true } match)
                    violations.Add($"{RepositoryLayout.Relative(file)}:{i + 1}: {match.Value}");
        }
        Assert.True(violations.Count == 0, "Networking code must not start processes (no `ip`: rtnetlink instead):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void NetworkingSources_NeverNameIpOrAnotherNetworkToolAsACommand()
    {
        var violations = new List<string>();
        foreach (var file in NetworkingFiles())
            foreach (var literal in StringLiterals(File.ReadAllText(file)))
                if (ToolCommandPattern().IsMatch(literal))
                    violations.Add($"{RepositoryLayout.Relative(file)}: \"{literal}\"");
        Assert.True(violations.Count == 0, "Networking code names a network tool as a command:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void IptablesFirewall_StartsOnlyTheIptablesFamily()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryLayout.Root, FirewallFile));
        var code = CSharpCode.StripCommentsAndLiterals(source);
        // Every program it runs goes through its one Run helper, which is the only place a process is started...
        Assert.Single(Regex.Matches(code, @"\bProcess\.Start\("));
        Assert.Single(Regex.Matches(code, @"\bnew ProcessStartInfo\("));
        // ...and what Run is given is the tool (iptables/ip6tables) or that backend's -restore/-save programs.
        var runCalls = Regex.Matches(code, @"\bRun\((?<program>[^,]+),").Select(m => m.Groups["program"].Value.Trim())
            .Where(p => !p.StartsWith("string ", StringComparison.Ordinal)).ToList(); // its own declaration
        Assert.NotEmpty(runCalls);
        Assert.All(runCalls, program => Assert.Contains(program, new[] { "tool", "restore", "save" }));
        Assert.Contains("IptablesFirewall(string tool = \"iptables\")", source, StringComparison.Ordinal);
        var backend = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "src/Wharf.Linux/Firewall/IptablesBackend.cs"));
        Assert.Contains("tool + (name == \"nf_tables\" ? \"-nft\" : \"-legacy\")", backend, StringComparison.Ordinal);
        Assert.Contains("-restore", StringLiterals(backend));
        Assert.All(StringLiterals(backend).Where(l => l.EndsWith("-restore", StringComparison.Ordinal) || l.EndsWith("-save", StringComparison.Ordinal)),
            l => Assert.Matches("^-(restore|save)$", l));
    }

    [Fact]
    public void Patterns_OnSampleCode_CatchWhatTheyAreMeantTo()
    {
        Assert.Matches(ProcessPattern(), "using var p = Process.Start(psi);");
        Assert.Matches(ProcessPattern(), "var psi = new ProcessStartInfo(\"ip\");");
        Assert.DoesNotMatch(ProcessPattern(), "var processed = ProcessEndpoint(x);");
        Assert.Equal(["ip", "link add {name} type bridge"], StringLiterals("Run(\"ip\", $\"link add {name} type bridge\"); // \"ip addr\""));
        Assert.Matches(ToolCommandPattern(), "ip");
        Assert.Matches(ToolCommandPattern(), "/sbin/ip");
        Assert.Matches(ToolCommandPattern(), "ip link set dev {x} up");
        Assert.Matches(ToolCommandPattern(), "/usr/sbin/brctl");
        Assert.DoesNotMatch(ToolCommandPattern(), "ip6tables");
        Assert.DoesNotMatch(ToolCommandPattern(), "ipvlan");
        Assert.DoesNotMatch(ToolCommandPattern(), "ipvlan_mode");
    }

    /// <summary>The contents of the string literals of <paramref name="source"/> (comments excluded): what
    /// <see cref="CSharpCode.StripCommentsAndLiterals"/> blanks between quotes.</summary>
    internal static List<string> StringLiterals(string source)
    {
        var stripped = CSharpCode.StripCommentsAndLiterals(source);
        var literals = new List<string>();
        for (var i = 0; i < stripped.Length; i++)
        {
            if (stripped[i] != '"') continue;
            // The contents and the closing quote are blanked (so are code spaces after it): the literal ends at the
            // last quote of the original within the blank run.
            var run = i + 1;
            while (run < stripped.Length && stripped[run] is ' ' or '\n' or '\r') run++;
            var close = source.LastIndexOf('"', run - 1, run - i - 1);
            if (close > i)
            {
                literals.Add(source[(i + 1)..close]);
                i = close;
            }
        }
        return literals;
    }

    [GeneratedRegex(@"\b(Process|ProcessStartInfo)\b")]
    private static partial Regex ProcessPattern();

    /// <summary>`ip`, `tc`, `brctl`, `nft`, `sysctl`, `ethtool` or a shell, alone or with arguments, with or without a
    /// path (not `bridge`: that is also the driver's name).</summary>
    [GeneratedRegex(@"^(/usr)?(/s?bin/)?(ip|tc|brctl|nft|sysctl|ethtool|sh|bash)( |$)")]
    private static partial Regex ToolCommandPattern();
}
