using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>IFirewall that applies batches to an in-memory rule set (enough of iptables-restore for -A/-I/-D,
/// chain declarations, -F and -X) and records every batch. Like iptables-restore it refuses to delete a rule that
/// does not exist.</summary>
public sealed class RecordingFirewall : IFirewall
{
    private readonly Dictionary<string, List<string>> _rules = new(StringComparer.Ordinal) { ["filter"] = [], ["nat"] = [] };
    private readonly Dictionary<string, HashSet<string>> _chains = new(StringComparer.Ordinal)
    {
        ["filter"] = ["INPUT", "FORWARD", "OUTPUT"],
        ["nat"] = ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
    };

    public List<string> Batches { get; } = [];
    public bool ForwardingEnabled { get; private set; }

    public IReadOnlyList<string> Rules(string table) => _rules[table];

    public void Apply(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        Batches.Add(script);
        var table = "";
        foreach (var line in script.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('*')) table = line[1..];
            else if (line.StartsWith(':')) _chains[table].Add(line[1..].Split(' ')[0]);
            else if (line.StartsWith("-A ", StringComparison.Ordinal)) _rules[table].Add(line);
            else if (line.StartsWith("-I ", StringComparison.Ordinal)) _rules[table].Insert(0, "-A " + line[3..]);
            else if (line.StartsWith("-D ", StringComparison.Ordinal) && !_rules[table].Remove("-A " + line[3..]))
                throw new IOException($"iptables-restore: line {line}: Bad rule (does a matching rule exist in that chain?)");
            else if (line.StartsWith("-F ", StringComparison.Ordinal)) _rules[table].RemoveAll(r => r.Split(' ')[1] == line[3..]);
            else if (line.StartsWith("-X ", StringComparison.Ordinal)) _chains[table].Remove(line[3..]);
        }
    }

    public void EnableForwarding() => ForwardingEnabled = true;

    public bool ChainExists(string table, string chain) => _chains[table].Contains(chain);

    public IReadOnlyList<string> ListRules(string table) =>
        [.. _chains[table].Select(c => $":{c} - [0:0]"), .. _rules[table]];
}
