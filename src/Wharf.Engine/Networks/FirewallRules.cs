using System.Text;

namespace Wharf.Engine.Networks;

/// <summary>The iptables rules Wharf wants, as data, and the iptables-restore batch that moves the kernel from its
/// current rules to the wanted ones. Applying is a diff against iptables-save output, so it is idempotent: a restart
/// or a crash leftover converges instead of duplicating.
/// The chains are Wharf's own (WHARF, WHARF-ISOLATION-STAGE-1/2, nat WHARF), shaped like Docker's: dockerd flushes
/// its DOCKER and DOCKER-ISOLATION-* chains whenever it starts, so rules of ours kept there vanished on a dockerd
/// restart on the same host (netavark keeps chains of its own for the same reason). Forwarded traffic still passes
/// DOCKER-USER first, the chain users put their rules in; that one is shared with Docker, created when missing and
/// never flushed or deleted by the system daemon.</summary>
public sealed class FirewallRules(string chainPrefix)
{
    public string Docker => chainPrefix + "WHARF";
    public string User => chainPrefix + "DOCKER-USER";
    public string Stage1 => chainPrefix + "WHARF-ISOLATION-STAGE-1";
    public string Stage2 => chainPrefix + "WHARF-ISOLATION-STAGE-2";

    /// <summary>Whether DOCKER-USER is this daemon's alone (a test daemon's prefixed copy) and may be flushed and
    /// deleted at shutdown; the real one belongs to the user and to any Docker beside us.</summary>
    private bool OwnsUserChain => chainPrefix.Length > 0;

    /// <summary>DOCKER-USER's rules and the jump to it, when they are not ours alone to delete.</summary>
    private bool IsShared(FirewallRule rule) =>
        !OwnsUserChain && rule.Table == "filter"
        && (InsertOrder.ChainOf(rule.Line) == User || rule.Line.EndsWith(" -j " + User, StringComparison.Ordinal));

    /// <summary>Chains per table that this daemon may flush and delete.</summary>
    public IReadOnlyDictionary<string, string[]> OwnedChains => new Dictionary<string, string[]>
    {
        ["filter"] = OwnsUserChain ? [Docker, User, Stage1, Stage2] : [Docker, Stage1, Stage2],
        ["nat"] = [Docker],
    };

    /// <summary>Chains per table that must exist.</summary>
    public IReadOnlyDictionary<string, string[]> Chains => new Dictionary<string, string[]>
    {
        ["filter"] = [Docker, User, Stage1, Stage2],
        ["nat"] = [Docker],
    };

    /// <summary>Jumps from the built-in chains into ours (inserted at the top of FORWARD, as Docker does).</summary>
    public IReadOnlyList<FirewallRule> Jumps() =>
    [
        new("filter", $"-A FORWARD -j {User}", Insert: true),
        new("filter", $"-A FORWARD -j {Stage1}", Insert: true),
        new("nat", $"-A PREROUTING -m addrtype --dst-type LOCAL -j {Docker}"),
        new("nat", $"-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j {Docker}"),
    ];

    /// <summary>Rules of one bridge network: forwarding, ICC, isolation from other bridges, masquerade.</summary>
    public IReadOnlyList<FirewallRule> ForBridge(string bridge, string subnet, bool isInternal, bool icc, bool masquerade)
    {
        var rules = new List<FirewallRule>
        {
            new("filter", $"-A FORWARD -o {bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT"),
            new("filter", $"-A FORWARD -o {bridge} -j {Docker}"),
            new("filter", $"-A FORWARD -i {bridge} -o {bridge} -j {(icc ? "ACCEPT" : "DROP")}"),
        };
        if (isInternal)
        {
            rules.Add(new("filter", $"-A {Stage1} ! -s {subnet} -o {bridge} -j DROP"));
            rules.Add(new("filter", $"-A {Stage1} ! -d {subnet} -i {bridge} -j DROP"));
            // Nor the host's addresses on other networks: only its own gateway (the DNS server) answers.
            rules.Add(new("filter", $"-A INPUT ! -d {subnet} -i {bridge} -j DROP"));
        }
        else
        {
            rules.Add(new("filter", $"-A FORWARD -i {bridge} ! -o {bridge} -j ACCEPT"));
            rules.Add(new("filter", $"-A {Stage1} -i {bridge} ! -o {bridge} -j {Stage2}"));
            rules.Add(new("filter", $"-A {Stage2} -o {bridge} -j DROP"));
            if (masquerade) rules.Add(new("nat", $"-A POSTROUTING -s {subnet} ! -o {bridge} -j MASQUERADE"));
        }
        return rules;
    }

    /// <summary>nat DOCKER: traffic coming out of any of our bridges is never DNATed, as in Docker with its userland
    /// proxy: a container reaching a host address (its gateway, hairpin, or another network's gateway) lands on the
    /// in-daemon proxy, which is allowed to reach the target; a DNAT there would be dropped by the isolation chains.
    /// Inserted on top so it precedes every DNAT rule, whichever network came first.</summary>
    public FirewallRule BridgeReturn(string bridge) => new("nat", $"-A {Docker} -i {bridge} -j RETURN", Insert: true);

    /// <summary>One published port (Docker's three rules): DNAT of traffic to the host port arriving from outside
    /// the bridge (and from the host itself to a non-loopback address, through OUTPUT), ACCEPT of the forwarded
    /// traffic to the container port, and MASQUERADE of hairpin traffic (container to itself).</summary>
    public IReadOnlyList<FirewallRule> ForPort(string bridge, string containerIp, int containerPort, string protocol, string hostIp, int hostPort)
    {
        var destination = hostIp is "" or "0.0.0.0" ? "" : $"-d {hostIp}/32 ";
        return
        [
            new("nat", $"-A {Docker} {destination}! -i {bridge} -p {protocol} -m {protocol} --dport {hostPort} -j DNAT --to-destination {containerIp}:{containerPort}"),
            new("filter", $"-A {Docker} -d {containerIp}/32 ! -i {bridge} -o {bridge} -p {protocol} -m {protocol} --dport {containerPort} -j ACCEPT"),
            new("nat", $"-A POSTROUTING -s {containerIp}/32 -d {containerIp}/32 -p {protocol} -m {protocol} --dport {containerPort} -j MASQUERADE"),
        ];
    }

    /// <summary>Whether <paramref name="rule"/> (a line of iptables-save) is a published port's rule in our chains
    /// (what a restart reconciles: rules of endpoints that are gone).</summary>
    public bool IsPortRule(string table, string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return (table == "nat" && rule.StartsWith($"-A {Docker} ", StringComparison.Ordinal) && rule.Contains(" -j DNAT ", StringComparison.Ordinal))
            || (table == "filter" && rule.StartsWith($"-A {Docker} -d ", StringComparison.Ordinal) && rule.EndsWith(" -j ACCEPT", StringComparison.Ordinal))
            || (table == "nat" && rule.StartsWith("-A POSTROUTING -s ", StringComparison.Ordinal) && rule.EndsWith(" -j MASQUERADE", StringComparison.Ordinal)
                && rule.Split(' ') is [_, _, _, var s, "-d", var d, ..] && s == d && s.EndsWith("/32", StringComparison.Ordinal));
    }

    /// <summary>iptables-restore text that appends (or with <paramref name="delete"/>, deletes) exactly these rules,
    /// without reading the current rule set first: the fast path of a container start or stop.</summary>
    public static string Direct(IEnumerable<FirewallRule> rules, bool delete)
    {
        var text = new StringBuilder();
        foreach (var group in rules.GroupBy(r => r.Table))
        {
            text.Append('*').Append(group.Key).Append('\n');
            foreach (var rule in group) text.Append(delete ? "-D" : "-A").Append(rule.Line[2..]).Append('\n');
            text.Append("COMMIT\n");
        }
        return text.ToString();
    }

    /// <summary>The iptables-restore batch that adds the missing <paramref name="wanted"/> rules (creating our chains
    /// when absent) and deletes the present <paramref name="unwanted"/> ones. Empty when nothing changes.</summary>
    /// <param name="current">iptables-save lines per table (":CHAIN ..." and "-A ..." lines).</param>
    public string Batch(IReadOnlyDictionary<string, IReadOnlyList<string>> current, IEnumerable<FirewallRule> wanted, IEnumerable<FirewallRule> unwanted, bool deleteChains = false)
    {
        var text = new StringBuilder();
        var wantedList = wanted.ToList();
        // Deleting the same rule twice would fail the whole batch.
        var unwantedList = unwanted.Where(r => !IsShared(r)).DistinctBy(r => (r.Table, r.Line)).ToList();
        foreach (var table in new[] { "filter", "nat" })
        {
            var lines = current.TryGetValue(table, out var l) ? l : [];
            var present = new HashSet<string>(lines.Where(x => x.StartsWith("-A ", StringComparison.Ordinal)), StringComparer.Ordinal);
            var chains = lines.Where(x => x.StartsWith(':')).Select(x => x[1..].Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
            var body = new StringBuilder();
            if (!deleteChains)
                foreach (var chain in Chains[table].Where(c => !chains.Contains(c))) body.Append(':').Append(chain).Append(" - [0:0]\n");
            foreach (var rule in unwantedList.Where(r => r.Table == table && present.Contains(r.Line)))
                body.Append("-D").Append(rule.Line[2..]).Append('\n');
            // Rules that must be on top but were pushed down (a user's -I, a crash between two steps) are moved up.
            var misplaced = InsertOrder.MisplacedChains(lines, wantedList.Where(r => r.Table == table).ToList(), strictTop: chainPrefix.Length == 0);
            var inserts = wantedList.Where(r => r.Table == table && r.Insert).DistinctBy(r => r.Line).ToList();
            foreach (var rule in inserts.Where(r => misplaced.Contains(InsertOrder.ChainOf(r.Line)) && present.Contains(r.Line)))
                body.Append("-D").Append(rule.Line[2..]).Append('\n');
            // Inserted jumps go in reverse so the first listed ends on top.
            foreach (var rule in Enumerable.Reverse(inserts).Where(r => !present.Contains(r.Line) || misplaced.Contains(InsertOrder.ChainOf(r.Line))))
                body.Append("-I").Append(rule.Line[2..]).Append('\n');
            foreach (var rule in wantedList.Where(r => r.Table == table && !r.Insert && !present.Contains(r.Line)).DistinctBy(r => r.Line))
                body.Append(rule.Line).Append('\n');
            if (deleteChains)
            {
                foreach (var chain in OwnedChains[table].Where(chains.Contains)) body.Append("-F ").Append(chain).Append('\n');
                foreach (var chain in OwnedChains[table].Where(chains.Contains)) body.Append("-X ").Append(chain).Append('\n');
            }
            if (body.Length > 0) text.Append('*').Append(table).Append('\n').Append(body).Append("COMMIT\n");
        }
        return text.ToString();
    }
}
