using Xunit;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>The jumps Wharf inserts on top of FORWARD keep DOCKER-USER first: pushed down, they are moved back up
/// in one batch; in place, nothing is rewritten.</summary>
public sealed class InsertOrderTests
{
    private static Dictionary<string, IReadOnlyList<string>> Current(RecordingFirewall fw) => new()
    {
        ["filter"] = fw.ListRules("filter"),
        ["nat"] = fw.ListRules("nat"),
    };

    private static List<string> Forward(RecordingFirewall fw) => fw.Rules("filter").Where(r => r.StartsWith("-A FORWARD ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Batch_SystemDaemon_ForeignRuleInsertedAboveDockerUser_MovesJumpsBackToTheVeryTop()
    {
        var fw = new RecordingFirewall();
        var rules = new FirewallRules("");
        var wanted = rules.Jumps().Concat(rules.ForBridge("br-a", "10.3.0.0/24", false, true, true)).ToList();
        fw.Apply(rules.Batch(Current(fw), wanted, []));
        fw.Apply("*filter\n-I FORWARD -s 203.0.113.9/32 -j ACCEPT\nCOMMIT\n");

        var batch = rules.Batch(Current(fw), wanted, []);
        Assert.Contains("-D FORWARD -j DOCKER-USER", batch);
        fw.Apply(batch);
        Assert.Equal(["-A FORWARD -j DOCKER-USER", "-A FORWARD -j WHARF-ISOLATION-STAGE-1"], Forward(fw).Take(2));
        Assert.Contains("-A FORWARD -s 203.0.113.9/32 -j ACCEPT", Forward(fw));
        Assert.Equal("", rules.Batch(Current(fw), wanted, []));
    }

    [Fact]
    public void Batch_TestDaemon_OtherDaemonsRulesAbove_LeavesThemAndChangesNothing()
    {
        var fw = new RecordingFirewall();
        var rules = new FirewallRules("wq1");
        var wanted = rules.Jumps().Concat(rules.ForBridge("br-b", "10.4.0.0/24", false, true, true)).ToList();
        fw.Apply(rules.Batch(Current(fw), wanted, []));
        // Another daemon beside it inserts its own jump on top: not this daemon's to reorder.
        fw.Apply("*filter\n:wz9DOCKER-USER - [0:0]\n-I FORWARD -j wz9DOCKER-USER\nCOMMIT\n");
        Assert.Equal("", rules.Batch(Current(fw), wanted, []));
    }

    [Fact]
    public void Batch_Stage1JumpMissing_ReinsertsBothInOrder_NotStage1AboveDockerUser()
    {
        var fw = new RecordingFirewall();
        var rules = new FirewallRules("wq2");
        var wanted = rules.Jumps().Concat(rules.ForBridge("br-c", "10.5.0.0/24", false, true, true)).ToList();
        fw.Apply(rules.Batch(Current(fw), wanted, []));
        fw.Apply("*filter\n-D FORWARD -j wq2WHARF-ISOLATION-STAGE-1\nCOMMIT\n");
        fw.Apply(rules.Batch(Current(fw), wanted, []));
        Assert.Equal(["-A FORWARD -j wq2DOCKER-USER", "-A FORWARD -j wq2WHARF-ISOLATION-STAGE-1"], Forward(fw).Take(2));
    }
}
