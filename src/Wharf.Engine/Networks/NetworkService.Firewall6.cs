using Wharf.Core.Errors;
using Wharf.Core.Host;

namespace Wharf.Engine.Networks;

/// <summary>The IPv6 side of the firewall: the same chains and bridge rules (forwarding, ICC, isolation, internal,
/// masquerade) for the ULA subnets of --ipv6 networks, through ip6tables-restore. Only networks with IPv6 need it,
/// so a host without ip6tables only fails the creation of such a network.</summary>
public sealed partial class NetworkService
{
    /// <summary>ip6tables (null: no IPv6 rules are written).</summary>
    public IFirewall? Firewall6 { get; init; }

    private IFirewall? Ip6Firewall => _options.Iptables ? Firewall6 : null;

    /// <summary>The ip6tables rules every current IPv6 network wants (its driver says which); none at all, not even
    /// the jumps, while no network wants one.</summary>
    public IReadOnlyList<FirewallRule> WantedRules6()
    {
        var perNetwork = All().Where(n => n.EnableIPv6).Select(RulesOf6).Where(r => r.Count > 0).ToList();
        if (perNetwork.Count == 0) return [];
        var rules = new List<FirewallRule>(_rules.Jumps().Where(r => r.Table == "filter"));
        foreach (var network in perNetwork) rules.AddRange(network);
        return rules;
    }

    private IReadOnlyList<FirewallRule> RulesOf6(NetworkRecord network) => RulesOf(network, ipv6: true);

    /// <summary>Like <see cref="ApplyFirewall"/>, for ip6tables; nothing at all while no network has IPv6.</summary>
    private void ApplyFirewall6(NetworkRecord? removed)
    {
        if (Ip6Firewall is not { } firewall) return;
        var wanted = WantedRules6();
        var unwanted = removed is { EnableIPv6: true } ? RulesOf6(removed).Where(r => !wanted.Contains(r)).ToList() : [];
        if (wanted.Count == 0 && unwanted.Count == 0) return;
        lock (_firewallGate)
        {
            var batch = _rules.Batch(CurrentRules6(firewall), wanted, unwanted);
            if (batch.Length == 0) return;
            try
            {
                firewall.Apply(batch);
            }
            catch (IOException e)
            {
                throw new EngineException(ErrorKind.Unknown, $"failed to program ip6tables: {e.Message}", e);
            }
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> CurrentRules6(IFirewall firewall) => new(StringComparer.Ordinal)
    {
        ["filter"] = firewall.ListRules("filter"),
        ["nat"] = firewall.ListRules("nat"),
    };

    /// <summary>Test daemons at shutdown: their ip6tables rules and chains go too.</summary>
    private void RemoveAllFirewallState6()
    {
        if (Ip6Firewall is not { } firewall) return;
        lock (_firewallGate)
        {
            var current = CurrentRules6(firewall);
            if (!current["filter"].Any(l => l.StartsWith(':' + _rules.User + ' ', StringComparison.Ordinal))) return;
            var ours = new List<FirewallRule>(WantedRules6());
            foreach (var (table, lines) in current)
                foreach (var line in lines.Where(l => l.StartsWith("-A ", StringComparison.Ordinal)))
                {
                    var chain = line.Split(' ')[1];
                    if (_rules.OwnedChains[table].Contains(chain) || _rules.OwnedChains[table].Any(c => line.EndsWith("-j " + c, StringComparison.Ordinal)))
                        ours.Add(new FirewallRule(table, line));
                }
            var batch = _rules.Batch(current, [], ours, deleteChains: true);
            if (batch.Length > 0) firewall.Apply(batch);
        }
    }
}
