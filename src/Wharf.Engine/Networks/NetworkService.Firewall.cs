using Wharf.Core.Errors;

namespace Wharf.Engine.Networks;

public sealed partial class NetworkService
{
    private readonly Lock _firewallGate = new();

    /// <summary>The rules every current network wants (its driver says which).</summary>
    public IReadOnlyList<FirewallRule> WantedRules()
    {
        var rules = new List<FirewallRule>(_rules.Jumps());
        foreach (var network in All()) rules.AddRange(RulesOf(network, ipv6: false));
        return rules;
    }

    private IReadOnlyList<FirewallRule> RulesOf(NetworkRecord network, bool ipv6) =>
        Drivers.TryGet(network.Driver, out var driver) ? driver.FirewallRulesOf(network, _rules, ipv6) : [];

    /// <summary>Brings the kernel's rules to what the networks want, in one iptables-restore batch; the rules of a
    /// network just removed are deleted in the same batch.</summary>
    /// <param name="stale">At start: networks whose record is gone but whose bridge this daemon created (see
    /// <see cref="BridgeLedger"/>); their rules go in the same batch.</param>
    private void ApplyFirewall(NetworkRecord? removed = null, bool reconcilePorts = false, IReadOnlyList<NetworkRecord>? stale = null)
    {
        if (_firewall is null) return;
        var gone = new List<NetworkRecord>(stale ?? []);
        if (removed is not null) gone.Add(removed);
        lock (_firewallGate)
        {
            var wanted = WantedRules();
            var current = CurrentRules();
            var unwanted = gone.SelectMany(n => RulesOf(n, ipv6: false)).Where(r => !wanted.Contains(r)).ToList();
            if (reconcilePorts)
            {
                // At start: live endpoints' port rules back, rules of endpoints that are gone out.
                wanted = [.. wanted, .. AllPortRules()];
                unwanted = [.. unwanted, .. StalePortRules(current, wanted, gone)];
            }
            var batch = _rules.Batch(current, wanted, unwanted);
            try
            {
                if (batch.Length > 0) _firewall.Apply(batch);
            }
            catch (IOException e)
            {
                throw new EngineException(ErrorKind.Unknown, $"failed to program iptables: {e.Message}", e);
            }
        }
        foreach (var network in gone) ApplyFirewall6(network);
        if (gone.Count == 0) ApplyFirewall6(null);
    }

    private Dictionary<string, IReadOnlyList<string>> CurrentRules() => new(StringComparer.Ordinal)
    {
        ["filter"] = _firewall!.ListRules("filter"),
        ["nat"] = _firewall.ListRules("nat"),
    };

    /// <summary>Test daemons at shutdown: every rule and chain they created goes.</summary>
    private void RemoveAllFirewallState()
    {
        if (_firewall is null) return;
        lock (_firewallGate)
        {
            var batch = _rules.Batch(CurrentRules(), [], WantedRules().Concat(AllKnownRulesInOurChains()), deleteChains: true);
            if (batch.Length > 0) _firewall.Apply(batch);
        }
        try { RemoveAllFirewallState6(); }
        catch (IOException e) { NetworkLog.FirewallCleanupFailed(_logger, e.Message); }
    }

    /// <summary>Rules that jump into our chains or live in them, found in the current rule set (also leftovers of
    /// networks removed while the daemon was down).</summary>
    private IEnumerable<FirewallRule> AllKnownRulesInOurChains()
    {
        foreach (var (table, lines) in CurrentRules())
            foreach (var line in lines.Where(l => l.StartsWith("-A ", StringComparison.Ordinal)))
            {
                var chain = line.Split(' ')[1];
                var ours = _rules.OwnedChains[table].Contains(chain) || _rules.OwnedChains[table].Any(c => line.EndsWith("-j " + c, StringComparison.Ordinal));
                if (ours) yield return new FirewallRule(table, line);
            }
    }
}
