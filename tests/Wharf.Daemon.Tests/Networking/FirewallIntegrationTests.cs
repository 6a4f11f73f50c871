using Wharf.Engine.Networks;
using Wharf.Linux.Firewall;
using Xunit;

namespace Wharf.Daemon.Tests.Networking;

/// <summary>Privileged: the engine's rules applied with iptables-restore read back identically from iptables-save
/// (so re-applying is a no-op, never a duplicate) and are removed completely. Unique chain prefix and bridge name.</summary>
public sealed class FirewallIntegrationTests
{
    [Fact]
    public void Batch_AppliedThroughIptablesRestore_IsIdempotentAndFullyRemovable()
    {
        var tag = Guid.NewGuid().ToString("N")[..3];
        var rules = new FirewallRules("z" + tag);
        var bridge = "wfw" + tag;
        var firewall = new IptablesFirewall();
        var wanted = rules.Jumps().Concat(rules.ForBridge(bridge, "10.250.3.0/24", isInternal: false, icc: false, masquerade: true))
            .Concat(rules.ForBridge(bridge + "i", "10.250.4.0/24", isInternal: true, icc: true, masquerade: true)).ToList();
        Dictionary<string, IReadOnlyList<string>> Current() => new() { ["filter"] = firewall.ListRules("filter"), ["nat"] = firewall.ListRules("nat") };
        try
        {
            firewall.Apply(rules.Batch(Current(), wanted, []));
            Assert.True(firewall.ChainExists("filter", rules.Stage1));
            Assert.Equal("", rules.Batch(Current(), wanted, []));
            Assert.Contains($"-A POSTROUTING -s 10.250.3.0/24 ! -o {bridge} -j MASQUERADE", firewall.ListRules("nat"));
        }
        finally
        {
            var cleanup = rules.Batch(Current(), [], wanted, deleteChains: true);
            if (cleanup.Length > 0) firewall.Apply(cleanup);
        }
        Assert.False(firewall.ChainExists("filter", rules.Docker));
        Assert.DoesNotContain(firewall.ListRules("filter").Concat(firewall.ListRules("nat")), l => l.Contains("z" + tag, StringComparison.Ordinal) || l.Contains(bridge, StringComparison.Ordinal));
    }
}
