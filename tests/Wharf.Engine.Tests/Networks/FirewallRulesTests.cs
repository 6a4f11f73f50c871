using Xunit;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

public sealed class FirewallRulesTests
{
    private static Dictionary<string, IReadOnlyList<string>> Current(RecordingFirewall fw) => new()
    {
        ["filter"] = fw.ListRules("filter"),
        ["nat"] = fw.ListRules("nat"),
    };

    [Fact]
    public void ForBridge_UsesDockerChainNamesWithPrefix_AndMasqueradesSubnet()
    {
        var rules = new FirewallRules("wab1").ForBridge("br-x", "172.20.0.0/16", isInternal: false, icc: true, masquerade: true);
        Assert.Contains(rules, r => r.Line == "-A FORWARD -o br-x -j wab1DOCKER");
        Assert.Contains(rules, r => r.Line == "-A wab1DOCKER-ISOLATION-STAGE-2 -o br-x -j DROP");
        Assert.Contains(rules, r => r.Table == "nat" && r.Line == "-A POSTROUTING -s 172.20.0.0/16 ! -o br-x -j MASQUERADE");
        Assert.Contains(rules, r => r.Line == "-A FORWARD -i br-x -o br-x -j ACCEPT");
    }

    [Fact]
    public void ForBridge_InternalWithoutIcc_DropsOutsideTrafficAndNoMasquerade()
    {
        var rules = new FirewallRules("").ForBridge("br-i", "10.1.0.0/24", isInternal: true, icc: false, masquerade: true);
        Assert.Contains(rules, r => r.Line == "-A DOCKER-ISOLATION-STAGE-1 ! -d 10.1.0.0/24 -i br-i -j DROP");
        Assert.Contains(rules, r => r.Line == "-A FORWARD -i br-i -o br-i -j DROP");
        Assert.DoesNotContain(rules, r => r.Line.Contains("MASQUERADE", StringComparison.Ordinal));
        Assert.DoesNotContain(rules, r => r.Line == "-A FORWARD -i br-i ! -o br-i -j ACCEPT");
    }

    [Fact]
    public void Batch_AppliedTwice_SecondIsEmpty_AndRemovalDeletesExactlyThoseRules()
    {
        var fw = new RecordingFirewall();
        var rules = new FirewallRules("wxy1");
        var wanted = rules.Jumps().Concat(rules.ForBridge("br-a", "10.2.0.0/24", false, true, true)).ToList();
        var first = rules.Batch(Current(fw), wanted, []);
        Assert.Contains(":wxy1DOCKER-USER - [0:0]", first);
        Assert.Contains("-I FORWARD -j wxy1DOCKER-USER", first);
        fw.Apply(first);
        Assert.Equal("-A FORWARD -j wxy1DOCKER-USER", fw.Rules("filter")[0]);
        Assert.Equal("", rules.Batch(Current(fw), wanted, []));

        var removal = rules.Batch(Current(fw), rules.Jumps(), rules.ForBridge("br-a", "10.2.0.0/24", false, true, true));
        fw.Apply(removal);
        Assert.DoesNotContain(fw.Rules("filter"), r => r.Contains("br-a", StringComparison.Ordinal));
        Assert.DoesNotContain(fw.Rules("nat"), r => r.Contains("MASQUERADE", StringComparison.Ordinal));
        Assert.Contains("-A FORWARD -j wxy1DOCKER-USER", fw.Rules("filter"));
    }
}
