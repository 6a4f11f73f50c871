using Xunit;
using Wharf.Engine.Networks;

namespace Wharf.Engine.Tests.Networks;

/// <summary>The held set is a multiset, a withdrawal takes back only what is still held, and whatever reaches the
/// kernel is handed over exactly once.</summary>
public sealed class HeldPortRulesTests
{
    private static readonly FirewallRule Dnat = new("nat", "-A DOCKER ! -i br0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80");
    private static readonly FirewallRule Accept = new("filter", "-A DOCKER -d 10.0.0.2/32 ! -i br0 -o br0 -p tcp -m tcp --dport 80 -j ACCEPT");

    [Fact]
    public void Withdraw_OfHeldRules_DeletesNothing_AndLeavesNothingToRelease()
    {
        var held = new HeldPortRules();
        Assert.True(held.Hold([Dnat, Accept]));
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat, Accept], deleted.AddRange);
        Assert.Empty(deleted);
        held.Release(_ => Assert.Fail("nothing is held"));
    }

    [Fact]
    public void Withdraw_AfterRelease_HandsTheRulesToDelete()
    {
        var held = new HeldPortRules();
        held.Hold([Dnat, Accept]);
        var added = new List<FirewallRule>();
        held.Release(added.AddRange);
        Assert.Equal([Dnat, Accept], added);
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat, Accept], deleted.AddRange);
        Assert.Equal([Dnat, Accept], deleted);
    }

    [Fact]
    public void TheSameLineTwice_IsHeldTwice_AndOnlyTheFirstHoldAsksForARelease()
    {
        var held = new HeldPortRules();
        Assert.True(held.Hold([Dnat]));
        Assert.False(held.Hold([Dnat]));
        var deleted = new List<FirewallRule>();
        held.Withdraw([Dnat], deleted.AddRange);
        Assert.Empty(deleted);
        var added = new List<FirewallRule>();
        held.Release(added.AddRange);
        Assert.Equal([Dnat], added);
        Assert.True(held.Hold([Accept]), "empty again: the next hold schedules a release");
    }
}
