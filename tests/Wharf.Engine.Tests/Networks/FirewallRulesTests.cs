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
    public void ForBridge_UsesWharfChainNamesWithPrefix_AndMasqueradesSubnet()
    {
        var rules = new FirewallRules("wab1").ForBridge("br-x", "172.20.0.0/16", isInternal: false, icc: true, masquerade: true);
        Assert.Contains(rules, r => r.Line == "-A FORWARD -o br-x -j wab1WHARF");
        Assert.Contains(rules, r => r.Line == "-A wab1WHARF-ISOLATION-STAGE-2 -o br-x -j DROP");
        Assert.Contains(rules, r => r.Table == "nat" && r.Line == "-A POSTROUTING -s 172.20.0.0/16 ! -o br-x -j MASQUERADE");
        Assert.Contains(rules, r => r.Line == "-A FORWARD -i br-x -o br-x -j ACCEPT");
    }

    [Fact]
    public void ForBridge_InternalWithoutIcc_DropsOutsideTrafficAndNoMasquerade()
    {
        var rules = new FirewallRules("").ForBridge("br-i", "10.1.0.0/24", isInternal: true, icc: false, masquerade: true);
        Assert.Contains(rules, r => r.Line == "-A WHARF-ISOLATION-STAGE-1 ! -d 10.1.0.0/24 -i br-i -j DROP");
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

    [Fact]
    public void SystemDaemon_KeepsOutOfDockersChains_AndNeverFlushesTheSharedDockerUser()
    {
        // What dockerd made (and flushes at each of its starts): Wharf must neither write into it nor remove it.
        var fw = new RecordingFirewall();
        fw.Apply("*filter\n:DOCKER - [0:0]\n:DOCKER-ISOLATION-STAGE-1 - [0:0]\n:DOCKER-USER - [0:0]\n" +
                 "-A DOCKER-USER -s 198.51.100.7/32 -j DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -j DOCKER-ISOLATION-STAGE-1\nCOMMIT\n" +
                 "*nat\n:DOCKER - [0:0]\n-A DOCKER -i docker0 -j RETURN\nCOMMIT\n");
        var rules = new FirewallRules("");
        var wanted = rules.Jumps().Concat(rules.ForBridge("wharf0", "172.18.0.0/16", false, true, true))
            .Concat(rules.ForPort("wharf0", "172.18.0.2", 80, "tcp", "", 8080)).ToList();
        fw.Apply(rules.Batch(Current(fw), wanted, []));
        Assert.True(fw.ChainExists("filter", "WHARF"));
        Assert.True(fw.ChainExists("nat", "WHARF"));
        Assert.DoesNotContain(fw.Rules("filter").Concat(fw.Rules("nat")), r => r.StartsWith("-A DOCKER ", StringComparison.Ordinal) && r.Contains("wharf0", StringComparison.Ordinal));
        Assert.Equal("-A FORWARD -j DOCKER-USER", fw.Rules("filter")[0]);
        Assert.Single(fw.Rules("filter"), "-A FORWARD -j DOCKER-USER");

        // Even a full clean-up (what a test daemon does at shutdown) leaves DOCKER-USER and the user's rule in it.
        var cleanup = rules.Batch(Current(fw), [], wanted, deleteChains: true);
        Assert.DoesNotContain("-F DOCKER-USER", cleanup);
        Assert.DoesNotContain("-X DOCKER-USER", cleanup);
        Assert.DoesNotContain("-D FORWARD -j DOCKER-USER", cleanup);
        Assert.DoesNotContain("DOCKER-ISOLATION", cleanup);
        fw.Apply(cleanup);
        Assert.Contains("-A DOCKER-USER -s 198.51.100.7/32 -j DROP", fw.Rules("filter"));
        Assert.False(fw.ChainExists("filter", "WHARF"));
        Assert.True(fw.ChainExists("nat", "DOCKER"));
    }
}
