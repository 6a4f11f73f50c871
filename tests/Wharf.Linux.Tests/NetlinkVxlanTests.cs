using System.Diagnostics;
using System.Net;
using Wharf.Linux.Netlink;

namespace Wharf.Linux.Tests;

/// <summary>Privileged: VXLAN links, FDB and neighbour entries, MTU and MAC changes through our rtnetlink client,
/// cross-checked with iproute2's view. Everything hangs off an underlay link the test creates and deletes (a veth:
/// the CI kernel has no dummy driver).</summary>
public sealed class NetlinkVxlanTests
{
    [Fact]
    public void VxlanOnTestLink_FdbAndNeighbourEntriesAddReadDelete_MtuAndMacSet()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var dummy = "wtdum" + tag;
        var vxlan = "wtvx" + tag;
        var vni = Random.Shared.Next(1000, 16_000_000);
        var remote = IPAddress.Parse($"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}.7");
        const string RemoteMac = "02:42:de:ad:be:ef";
        using var netlink = new LinuxNetlink();
        try
        {
            Ip("link", "add", dummy, "type", "veth", "peer", "name", "wtdp" + tag);
            Ip("link", "set", dummy, "up");

            netlink.CreateVxlan(vxlan, vni, dummy, local: null);
            var link = netlink.GetLink(vxlan);
            Assert.NotNull(link);
            Assert.Equal("vxlan", link.Kind);
            Assert.Contains($"vxlan id {vni} ", Ip("-d", "link", "show", vxlan));
            Assert.Contains($"dev {dummy}", Ip("-d", "link", "show", vxlan));

            netlink.SetLink(vxlan, mtu: 1400, mac: "02:42:ac:11:00:99");
            link = netlink.GetLink(vxlan)!;
            Assert.Equal(1400, link.Mtu);
            Assert.Equal("02:42:ac:11:00:99", link.MacAddress);

            // FDB: the remote MAC is reached through the remote VTEP.
            netlink.AddNeighbour(vxlan, RemoteMac, remote, fdb: true);
            var fdb = netlink.Neighbours(vxlan, fdb: true);
            Assert.Contains(fdb, e => e.MacAddress == RemoteMac && remote.Equals(e.Destination));
            Assert.Contains($"{RemoteMac} dst {remote}", Bridge("fdb", "show", "dev", vxlan));

            // ARP entry for an overlay address.
            var overlayIp = IPAddress.Parse("10.99.0.5");
            netlink.AddNeighbour(vxlan, RemoteMac, overlayIp, fdb: false);
            Assert.Contains(netlink.Neighbours(vxlan, fdb: false), e => e.MacAddress == RemoteMac && overlayIp.Equals(e.Destination));

            netlink.DeleteNeighbour(vxlan, RemoteMac, remote, fdb: true);
            netlink.DeleteNeighbour(vxlan, RemoteMac, overlayIp, fdb: false);
            Assert.DoesNotContain(netlink.Neighbours(vxlan, fdb: true), e => remote.Equals(e.Destination));
            Assert.DoesNotContain(netlink.Neighbours(vxlan, fdb: false), e => overlayIp.Equals(e.Destination));
        }
        finally
        {
            netlink.DeleteLink(vxlan);
            netlink.DeleteLink(dummy);
        }
        Assert.Null(netlink.GetLink(vxlan));
        Assert.False(netlink.LinkExists(dummy));
    }

    [Fact]
    public void VxlanOnBridge_LocalMtuProxyAndFloodEntriesPerPeer_AppendKeepsBoth()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var bridge = "wtbr" + tag;
        var vxlan = "wtvx" + tag;
        var vni = Random.Shared.Next(1000, 16_000_000);
        var peer1 = IPAddress.Parse($"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}.11");
        var peer2 = IPAddress.Parse($"10.{Random.Shared.Next(64, 250)}.{Random.Shared.Next(0, 255)}.12");
        const string Flood = "00:00:00:00:00:00";
        using var netlink = new LinuxNetlink();
        try
        {
            netlink.EnsureBridge(bridge, 1450, []);
            // No underlay link: the overlay driver routes by the VTEP address.
            netlink.CreateVxlan(vxlan, vni, underlay: null, IPAddress.Loopback, 4789, mtu: 1450, master: bridge);
            var details = Ip("-d", "link", "show", vxlan);
            Assert.Contains($"vxlan id {vni} ", details);
            Assert.Contains("local 127.0.0.1", details);
            Assert.Contains("dstport 4789", details);
            Assert.Contains("nolearning", details);
            Assert.Contains("proxy", details);
            Assert.Contains($"master {bridge}", details);
            Assert.Equal(1450, netlink.GetLink(vxlan)!.Mtu);

            // Two flood destinations: append keeps both (a replace would leave only the last).
            netlink.AppendFdb(vxlan, Flood, peer1);
            netlink.AppendFdb(vxlan, Flood, peer2);
            var fdb = netlink.Neighbours(vxlan, fdb: true);
            Assert.Contains(fdb, e => e.MacAddress == Flood && peer1.Equals(e.Destination));
            Assert.Contains(fdb, e => e.MacAddress == Flood && peer2.Equals(e.Destination));

            netlink.DeleteNeighbour(vxlan, Flood, peer1, fdb: true);
            fdb = netlink.Neighbours(vxlan, fdb: true);
            Assert.DoesNotContain(fdb, e => peer1.Equals(e.Destination));
            Assert.Contains(fdb, e => e.MacAddress == Flood && peer2.Equals(e.Destination));
        }
        finally
        {
            netlink.DeleteLink(vxlan);
            netlink.DeleteLink(bridge);
        }
        Assert.False(netlink.LinkExists(vxlan));
        Assert.False(netlink.LinkExists(bridge));
    }

    private static string Ip(params string[] args) => Run("ip", args);

    private static string Bridge(params string[] args) => Run("bridge", args);

    private static string Run(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {output}");
        return output;
    }
}
