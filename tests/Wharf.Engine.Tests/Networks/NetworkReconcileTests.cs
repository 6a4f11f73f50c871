using Xunit;
using Wharf.Engine.Networks;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Networks;

/// <summary>Crash leftovers reconciled at start through the bridge ledger, against fakes: a bridge this daemon
/// created whose network record is gone goes with its rules; a bridge it never created, however it is named, stays.</summary>
public sealed class NetworkReconcileTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-reconcile");
    private readonly RecordingNetlink _netlink = new();
    private readonly RecordingNamespaceOps _namespaces = new();
    private readonly RecordingFirewall _firewall = new();

    private readonly RecordingFirewall _firewall6 = new();

    private NetworkService NewService()
    {
        var service = new NetworkService(
            new NetworkOptions { DataRoot = _dir.Combine("data"), ExecRoot = _dir.Combine("exec"), DefaultBridge = "wrec0", ChainPrefix = "wr1" },
            _netlink, _namespaces, _firewall, null, TimeProvider.System) { Firewall6 = _firewall6 };
        service.Initialize();
        return service;
    }

    private static NetworkCreateParams Bridge(string name, string subnet) =>
        new(name, "bridge", false, false, false, [new IpamPool { Subnet = subnet }], new Dictionary<string, string>(), new Dictionary<string, string>());

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Initialize_RecordGoneButBridgeAndRulesLeft_DeletesBridgeAndRules_LeavesForeignBridge()
    {
        string bridge;
        using (var service = NewService())
        {
            var network = service.Create(Bridge("doomed", "10.91.0.0/24"));
            bridge = network.Interface;
            // The daemon dies in `network rm` right after the record went: bridge and rules are still there.
            File.Delete(_dir.Combine("data", "network", network.Id + ".json"));
        }
        Assert.Contains(bridge, _netlink.Links);
        Assert.Contains(_firewall.Rules("filter"), r => r.Contains(bridge, StringComparison.Ordinal));
        // Docker's own bridges are named alike: one we never created, with a rule of someone else's on it.
        _netlink.Links.Add("br-0123456789ab");
        _firewall.Apply("*filter\n-A FORWARD -o br-0123456789ab -j ACCEPT\nCOMMIT\n");

        using (var service = NewService())
        {
            Assert.DoesNotContain(service.All(), n => n.Name == "doomed");
            Assert.DoesNotContain(bridge, _netlink.Links);
            Assert.DoesNotContain(_firewall.Rules("filter"), r => r.Contains(bridge, StringComparison.Ordinal));
            Assert.DoesNotContain(_firewall.Rules("nat"), r => r.Contains("10.91.0.0/24", StringComparison.Ordinal));
            Assert.Contains("br-0123456789ab", _netlink.Links);
            Assert.Contains("-A FORWARD -o br-0123456789ab -j ACCEPT", _firewall.Rules("filter"));
            Assert.Contains("wrec0", _netlink.Links);
        }
        // Done once: the next start has nothing left to delete.
        _netlink.Calls.Clear();
        using (NewService()) Assert.DoesNotContain(_netlink.Calls, c => c.StartsWith("delete ", StringComparison.Ordinal));
    }

    [Fact]
    public void Initialize_StaleIpv6Network_DeletesItsIp6tablesRulesToo_KeepsTheLiveOnes()
    {
        string bridge;
        using (var service = NewService())
        {
            service.Create(new NetworkCreateParams("v6-live", "bridge", false, false, true, [new IpamPool { Subnet = "10.95.0.0/24" }, new IpamPool { Subnet = "fd00:95::/64" }],
                new Dictionary<string, string>(), new Dictionary<string, string>()));
            var doomed = service.Create(new NetworkCreateParams("v6-doomed", "bridge", false, false, true, [new IpamPool { Subnet = "10.96.0.0/24" }, new IpamPool { Subnet = "fd00:96::/64" }],
                new Dictionary<string, string>(), new Dictionary<string, string>()));
            bridge = doomed.Interface;
            File.Delete(_dir.Combine("data", "network", doomed.Id + ".json"));
        }
        Assert.Contains(_firewall6.Rules("filter"), r => r.Contains(bridge, StringComparison.Ordinal));
        using (NewService())
        {
            Assert.DoesNotContain(_firewall6.Rules("filter"), r => r.Contains(bridge, StringComparison.Ordinal));
            Assert.DoesNotContain(_firewall6.Rules("nat"), r => r.Contains("fd00:96::/64", StringComparison.Ordinal));
            Assert.Contains(_firewall6.Rules("nat"), r => r.Contains("fd00:95::/64", StringComparison.Ordinal));
            Assert.DoesNotContain(bridge, _netlink.Links);
        }
    }

    [Fact]
    public void Remove_DeletesBridge_ThenLedgerForgetsIt_SoARestartDeletesNothing()
    {
        using (var service = NewService())
        {
            service.Create(Bridge("short-lived", "10.92.0.0/24"));
            service.Remove("short-lived");
        }
        _netlink.Calls.Clear();
        using (NewService()) Assert.DoesNotContain(_netlink.Calls, c => c.StartsWith("delete ", StringComparison.Ordinal));
        Assert.DoesNotContain("short-lived", File.ReadAllText(_dir.Combine("data", "network", "ledger", "bridges.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EntersBridgeInLedgerBeforeTheLinkExists()
    {
        using var service = NewService();
        var ledger = _dir.Combine("data", "network", "ledger", "bridges.json");
        var seenBeforeLink = false;
        _netlink.BeforeBridge = name => seenBeforeLink = File.ReadAllText(ledger).Contains(name, StringComparison.Ordinal);
        var network = service.Create(Bridge("fresh", "10.93.0.0/24"));
        Assert.True(seenBeforeLink, $"{network.Interface} was not in the ledger when its link was created");
    }

    [Fact]
    public void Initialize_UserJumpPushedBelowOurRules_MovesItBackOnTop_KeepsUserRules()
    {
        using (var service = NewService()) service.Create(Bridge("ordered", "10.94.0.0/24"));
        // A user's rule in DOCKER-USER, and the jump to it pushed under our other FORWARD rules.
        _firewall.Apply("*filter\n-A wr1DOCKER-USER -s 198.51.100.7/32 -j DROP\n-D FORWARD -j wr1DOCKER-USER\n-A FORWARD -j wr1DOCKER-USER\nCOMMIT\n");
        using (NewService())
        {
            var forward = _firewall.Rules("filter").Where(r => r.StartsWith("-A FORWARD ", StringComparison.Ordinal)).ToList();
            Assert.Equal("-A FORWARD -j wr1DOCKER-USER", forward[0]);
            Assert.Equal("-A FORWARD -j wr1WHARF-ISOLATION-STAGE-1", forward[1]);
            Assert.Single(forward, "-A FORWARD -j wr1DOCKER-USER");
            Assert.Equal(new[] { "-A wr1DOCKER-USER -s 198.51.100.7/32 -j DROP" }, _firewall.Rules("filter").Where(r => r.StartsWith("-A wr1DOCKER-USER ", StringComparison.Ordinal)));
        }
        // In order: a second start changes nothing in FORWARD.
        var batches = _firewall.Batches.Count;
        using (NewService()) Assert.DoesNotContain(_firewall.Batches.Skip(batches), b => b.Contains("FORWARD", StringComparison.Ordinal));
    }
}
