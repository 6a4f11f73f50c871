using System.Net;
using System.Net.NetworkInformation;
using Wharf.Core.Host;
using Wharf.Linux.Netlink;

namespace Wharf.Linux.Tests;

/// <summary>Privileged: our rtnetlink client against the real kernel. Everything lives on a uniquely named bridge and
/// in a throwaway namespace, both removed in finally; traffic only to the addresses the test creates.</summary>
public sealed class NetlinkTests
{
    [Fact]
    public void BridgeVethIntoPinnedNamespace_ConfiguredAndReachable_ThenTornDown()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var bridge = "wtb" + tag;
        var veth = "wtv" + tag;
        var root = Path.Combine(Path.GetTempPath(), "wharf-netns-" + tag);
        var ns = Path.Combine(root, "ns");
        var third = Random.Shared.Next(0, 255);
        var second = Random.Shared.Next(64, 250);
        var gateway = IPAddress.Parse($"10.{second}.{third}.1");
        var inside = IPAddress.Parse($"10.{second}.{third}.2");
        using var netlink = new LinuxNetlink();
        var namespaces = new LinuxNamespaceOps();
        try
        {
            namespaces.CreateNetworkNamespace(ns);
            netlink.EnsureBridge(bridge, 0, [new NetAddress(gateway, 24)]);
            netlink.EnsureBridge(bridge, 0, [new NetAddress(gateway, 24)]); // idempotent
            Assert.True(netlink.LinkExists(bridge));
            // The bridge's MAC is set (addr_assign_type 3), not taken from its ports: it stays as they come and go.
            Assert.Equal("3", File.ReadAllText($"/sys/class/net/{bridge}/addr_assign_type").Trim());
            var bridgeMac = File.ReadAllText($"/sys/class/net/{bridge}/address").Trim();
            Assert.Equal(0x02, Convert.ToByte(bridgeMac[..2], 16) & 0x03);
            netlink.CreateLink(new LinkRequest("veth", veth, "eth0", ns, Master: bridge, PeerMac: "02:42:0a:00:00:02"));
            Assert.Equal(bridge, Path.GetFileName(File.ResolveLinkTarget($"/sys/class/net/{veth}/master", false)!.FullName));
            Assert.Equal(bridgeMac, File.ReadAllText($"/sys/class/net/{bridge}/address").Trim());
            netlink.ConfigureInNamespace(ns, [new NamespaceInterface("eth0", [new NetAddress(inside, 24)], gateway)]);
            Assert.Contains(netlink.HostRoutes(), r => r.Address.Equals(IPAddress.Parse($"10.{second}.{third}.0")) && r.PrefixLength == 24);

            using var ping = new Ping();
            var reply = ping.Send(inside, 2000);
            Assert.Equal(IPStatus.Success, reply.Status);
        }
        finally
        {
            namespaces.RemoveNetworkNamespace(ns);
            netlink.DeleteLink(veth);
            netlink.DeleteLink(bridge);
            netlink.DeleteLink(bridge); // missing is not an error
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        Assert.False(netlink.LinkExists(bridge));
        Assert.False(netlink.LinkExists(veth));
        Assert.False(File.Exists(ns));
    }
}
