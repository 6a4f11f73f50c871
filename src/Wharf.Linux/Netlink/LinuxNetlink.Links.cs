using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wharf.Core.Host;
using static Wharf.Linux.Netlink.NetlinkConstants;

namespace Wharf.Linux.Netlink;

/// <summary>The rest of the link toolbox (what an overlay driver builds on): VXLAN links, neighbour and FDB
/// entries, MTU and MAC changes, and reading a link's settings back.</summary>
public sealed partial class LinuxNetlink
{
    /// <summary>Creates a VXLAN link <paramref name="name"/> (VNI <paramref name="vni"/>) over <paramref name="underlay"/>,
    /// sourcing from <paramref name="local"/>, on UDP <paramref name="port"/>; learning off (entries come from the
    /// control plane, as Docker's overlay does) and ARP proxy on; optionally with an MTU and a master bridge; then brings it up.</summary>
    public void CreateVxlan(string name, int vni, string? underlay, IPAddress? local, int port = 4789, int mtu = 0, string? master = null)
    {
        var data = new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL).IfInfo()
            .String(IFLA_IFNAME, name);
        if (mtu > 0) data.UInt32(IFLA_MTU, (uint)mtu);
        if (master is not null) data.UInt32(IFLA_MASTER, (uint)Host.RequireIndex(master));
        data.Begin(IFLA_LINKINFO).String(IFLA_INFO_KIND, "vxlan").Begin(IFLA_INFO_DATA)
            .UInt32(IFLA_VXLAN_ID, (uint)vni);
        // Without an underlay link the kernel routes the encapsulated packets by the VTEP address.
        if (underlay is not null) data.UInt32(IFLA_VXLAN_LINK, (uint)Host.RequireIndex(underlay));
        // ARP proxy: requests for peers are answered from the neighbour entries the control plane wrote.
        data.UInt8(IFLA_VXLAN_LEARNING, 0).UInt8(IFLA_VXLAN_PROXY, 1)
            .UInt16BigEndian(IFLA_VXLAN_PORT, (ushort)port);
        if (local is not null) data.Attribute(IFLA_VXLAN_LOCAL, local.GetAddressBytes());
        data.End().End();
        Host.Send(data, $"netlink newlink vxlan {name}");
        SetUp(Host, Host.RequireIndex(name));
    }

    /// <summary>Sets a link's MTU and/or MAC address (null leaves it).</summary>
    public void SetLink(string name, int? mtu = null, string? mac = null)
    {
        var message = new NetlinkMessage(RTM_NEWLINK, 0).IfInfo(index: Host.RequireIndex(name));
        if (mtu is { } m) message.UInt32(IFLA_MTU, (uint)m);
        if (mac is not null) message.Attribute(IFLA_ADDRESS, ParseMac(mac));
        Host.Send(message, $"netlink setlink {name}");
    }

    /// <summary>A link's kind, MTU and MAC as the kernel reports them (null when there is no such link).</summary>
    public LinkInfo? GetLink(string name)
    {
        var index = Host.IndexOf(name);
        if (index == 0) return null;
        var answers = Host.Query(new NetlinkMessage(RTM_GETLINK, 0).IfInfo(index: index), $"netlink getlink {name}");
        foreach (var (type, payload) in answers.Where(a => a.Type == RTM_NEWLINK))
        {
            _ = type;
            int mtu = 0;
            string mac = "", kind = "";
            foreach (var (attr, value) in Attributes(payload.AsSpan(16)))
            {
                if (attr == IFLA_MTU) mtu = BinaryPrimitives.ReadInt32LittleEndian(value);
                else if (attr == IFLA_ADDRESS) mac = FormatMac(value);
                else if (attr == IFLA_LINKINFO)
                    foreach (var (inner, innerValue) in Attributes(value))
                        if (inner == IFLA_INFO_KIND) kind = Encoding.ASCII.GetString(innerValue).TrimEnd('\0');
            }
            return new LinkInfo(name, index, kind, mtu, mac);
        }
        return null;
    }

    /// <summary>Adds (or replaces) a permanent neighbour entry: with <paramref name="fdb"/> a bridge forwarding entry
    /// "MAC reachable through <paramref name="destination"/>" on a VXLAN (bridge fdb append ... dst), otherwise an
    /// ARP/NDP entry "<paramref name="destination"/> has MAC".</summary>
    public void AddNeighbour(string link, string mac, IPAddress destination, bool fdb)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var family = fdb ? AF_BRIDGE : destination.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        const ushort NLM_F_REPLACE = 0x100;
        var message = new NetlinkMessage(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE)
            .NdMsg(family, Host.RequireIndex(link), NUD_PERMANENT, fdb ? NTF_SELF : (byte)0)
            .Attribute(NDA_LLADDR, ParseMac(mac))
            .Attribute(NDA_DST, destination.GetAddressBytes());
        Host.Send(message, $"netlink newneigh {mac} dev {link}");
    }

    /// <summary>Appends an FDB destination (NLM_F_APPEND, not replace): the all-zero MAC gets one entry per peer VTEP,
    /// so broadcasts go to every peer.</summary>
    public void AppendFdb(string link, string mac, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        const ushort NLM_F_APPEND = 0x800;
        var message = new NetlinkMessage(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND)
            .NdMsg(AF_BRIDGE, Host.RequireIndex(link), NUD_PERMANENT, NTF_SELF)
            .Attribute(NDA_LLADDR, ParseMac(mac))
            .Attribute(NDA_DST, destination.GetAddressBytes());
        Host.Send(message, $"netlink appendfdb {mac} dst {destination} dev {link}");
    }

    public void DeleteNeighbour(string link, string mac, IPAddress destination, bool fdb)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var family = fdb ? AF_BRIDGE : destination.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        var message = new NetlinkMessage(RTM_DELNEIGH, 0)
            .NdMsg(family, Host.RequireIndex(link), 0, fdb ? NTF_SELF : (byte)0)
            .Attribute(NDA_LLADDR, ParseMac(mac))
            .Attribute(NDA_DST, destination.GetAddressBytes());
        Host.Send(message, $"netlink delneigh {mac} dev {link}");
    }

    /// <summary>The neighbour entries (ARP/NDP, or with <paramref name="fdb"/> the FDB) of one link.</summary>
    public IReadOnlyList<NeighbourEntry> Neighbours(string link, bool fdb)
    {
        var index = Host.RequireIndex(link);
        var request = new NetlinkMessage(RTM_GETNEIGH, NLM_F_DUMP).NdMsg(fdb ? AF_BRIDGE : (byte)0, 0, 0, 0);
        var entries = new List<NeighbourEntry>();
        foreach (var (type, payload) in Host.Query(request, "netlink getneigh"))
        {
            if (type != RTM_NEWNEIGH || payload.Length < 12) continue;
            if (BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4)) != index) continue;
            string mac = "";
            IPAddress? destination = null;
            foreach (var (attr, value) in Attributes(payload.AsSpan(12)))
            {
                if (attr == NDA_LLADDR) mac = FormatMac(value);
                else if (attr == NDA_DST && value.Length is 4 or 16) destination = new IPAddress(value);
            }
            entries.Add(new NeighbourEntry(mac, destination, BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(8))));
        }
        return entries;
    }

    private static List<(ushort Type, byte[] Value)> Attributes(ReadOnlySpan<byte> data)
    {
        var list = new List<(ushort, byte[])>();
        var offset = 0;
        while (offset + 4 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 2)..]) & 0x3fff); // drop NLA_F_NESTED
            if (length < 4 || offset + length > data.Length) break;
            list.Add((type, data.Slice(offset + 4, length - 4).ToArray()));
            offset += (length + 3) & ~3;
        }
        return list;
    }

    private static string FormatMac(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) parts[i] = bytes[i].ToString("x2", CultureInfo.InvariantCulture);
        return string.Join(':', parts);
    }
}
