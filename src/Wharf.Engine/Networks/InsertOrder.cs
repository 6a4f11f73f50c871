namespace Wharf.Engine.Networks;

/// <summary>Where the rules Wharf inserts on top of a chain (FORWARD's jumps to DOCKER-USER and
/// DOCKER-ISOLATION-STAGE-1, nat DOCKER's RETURNs) must stand: above every other rule Wharf wants in that chain, and
/// in a built-in chain in the order listed, so DOCKER-USER is always consulted first and a user's rules there keep
/// deciding. A chain that breaks this has its inserted rules deleted and inserted again on top, as Docker re-arranges
/// the DOCKER-USER jump at start.</summary>
internal static class InsertOrder
{
    private static readonly HashSet<string> BuiltInChains = new(StringComparer.Ordinal) { "INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING" };

    /// <summary>The chain of an iptables-save rule line ("-A CHAIN ...").</summary>
    public static string ChainOf(string line) => line.Split(' ', 3)[1];

    /// <summary>Chains of <paramref name="wanted"/> (one table) whose inserted rules are out of place in
    /// <paramref name="current"/> (iptables-save lines of that table, in order).</summary>
    /// <param name="strictTop">The system daemon: the inserted rules of a built-in chain must be its very first
    /// rules, as Docker keeps its DOCKER-USER jump. Test daemons beside each other only order their own rules (each
    /// moving its jumps above the others' would never settle).</param>
    public static HashSet<string> MisplacedChains(IReadOnlyList<string> current, IReadOnlyList<FirewallRule> wanted, bool strictTop)
    {
        var misplaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in wanted.Where(r => r.Insert).GroupBy(r => ChainOf(r.Line)))
        {
            var chain = group.Key;
            var inserts = group.Select(r => r.Line).Distinct(StringComparer.Ordinal).ToList();
            var others = wanted.Where(r => !r.Insert && ChainOf(r.Line) == chain).Select(r => r.Line).ToHashSet(StringComparer.Ordinal);
            var lines = current.Where(l => l.StartsWith("-A " + chain + " ", StringComparison.Ordinal)).ToList();
            var positions = inserts.Select(l => lines.IndexOf(l)).ToList();
            var present = positions.Where(p => p >= 0).ToList();
            if (present.Count == 0) continue;
            var builtIn = BuiltInChains.Contains(chain);
            var lastInsert = present.Max();
            var firstOther = lines.FindIndex(l => others.Contains(l));
            var wrong = firstOther >= 0 && firstOther < lastInsert;
            if (builtIn)
            {
                // Listed order among the present ones; a missing one inserted on top would land above the others.
                wrong |= present.Count < inserts.Count || !present.SequenceEqual(present.Order());
                if (strictTop) wrong |= lastInsert != inserts.Count - 1;
            }
            if (wrong) misplaced.Add(chain);
        }
        return misplaced;
    }
}
