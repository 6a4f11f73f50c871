using Xunit;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Tests.Networks;

/// <summary>Each hold ends on its own, lines are a multiset, a withdrawal takes back only what is still held, and
/// whatever reaches the kernel is handed over exactly once.</summary>
public sealed class HeldPortRulesTests
{
    private static readonly FirewallRule Dnat = new("nat", "-A WHARF ! -i br0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80");
    private static readonly FirewallRule Accept = new("filter", "-A WHARF -d 10.0.0.2/32 ! -i br0 -o br0 -p tcp -m tcp --dport 80 -j ACCEPT");
    private static readonly FirewallRule Other = new("nat", "-A WHARF ! -i br0 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 10.0.0.3:80");

    [Fact]
    public void Withdraw_OfHeldRules_DeletesNothing_AndTheHoldsEndSendsNothing()
    {
        var held = new HeldPortRules();
        var hold = held.Hold([Dnat, Accept]);
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat, Accept], deleted.AddRange);
        Assert.Empty(deleted);
        held.Release(hold, _ => Assert.Fail("nothing is held"));
        held.ReleaseAll(_ => Assert.Fail("nothing is held"));
    }

    [Fact]
    public void Withdraw_AfterRelease_HandsTheRulesToDelete()
    {
        var held = new HeldPortRules();
        var hold = held.Hold([Dnat, Accept]);
        var added = new List<FirewallRule>();
        held.Release(hold, added.AddRange);
        Assert.Equal([Dnat, Accept], added);
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat, Accept], deleted.AddRange);
        Assert.Equal([Dnat, Accept], deleted);
    }

    [Fact]
    public void AnEarlierHoldsEnd_DoesNotSendALaterHold()
    {
        var held = new HeldPortRules();
        var first = held.Hold([Dnat]);
        var second = held.Hold([Other]);
        var added = new List<FirewallRule>();
        held.Release(first, added.AddRange);
        Assert.Equal([Dnat], added);
        var deleted = new List<FirewallRule>();
        held.Withdraw([Other], deleted.AddRange);
        Assert.Empty(deleted);
        held.Release(second, _ => Assert.Fail("withdrawn before its hold ended"));
    }

    [Fact]
    public void TheSameLineTwice_IsHeldTwice_AndWithdrawnOnce()
    {
        var held = new HeldPortRules();
        held.Hold([Dnat]);
        held.Hold([Dnat]);
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat], deleted.AddRange);
        Assert.Empty(deleted);
        var added = new List<FirewallRule>();
        held.ReleaseAll(added.AddRange);
        Assert.Equal([Dnat], added);
    }
}
