using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wharf.Core.Host;
using Wharf.Linux.Interop;
using static Wharf.Linux.Netlink.NetlinkConstants;

namespace Wharf.Linux.Netlink;

/// <summary><see cref="INetlink"/> over our own rtnetlink socket: no `ip` process anywhere.</summary>
public sealed partial class LinuxNetlink : INetlink, IDisposable
{
    private const byte IFA_F_NODAD = 0x02;
    private readonly Lazy<NetlinkSocket> _host = new(NetlinkSocket.Open);

    private NetlinkSocket Host => _host.Value;

    public void EnsureBridge(string name, int mtu, IReadOnlyList<NetAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (Host.IndexOf(name) == 0)
        {
            var create = new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL).IfInfo().String(IFLA_IFNAME, name);
            if (mtu > 0) create.UInt32(IFLA_MTU, (uint)mtu);
            // A MAC of its own, as Docker gives its bridges: without one the kernel gives the bridge the lowest MAC of
            // its ports, so removing a container could change the gateway's MAC under the others (their ARP caches
            // then point at a gone address: DNS and the outside unreachable for half a minute).
            create.Attribute(IFLA_ADDRESS, RandomBridgeMac());
            create.Begin(IFLA_LINKINFO).String(IFLA_INFO_KIND, "bridge").End();
            IgnoreExists(Host.TrySend(create), "netlink newlink bridge", name);
        }
        var index = Host.RequireIndex(name);
        if (mtu > 0) Host.Send(new NetlinkMessage(RTM_NEWLINK, 0).IfInfo(index: index).UInt32(IFLA_MTU, (uint)mtu), "netlink setlink mtu");
        foreach (var address in addresses) AddAddress(Host, index, address);
        SetUp(Host, index);
    }

    public void EnsureVlan(string name, string parent, int vlanId)
    {
        if (Host.IndexOf(name) == 0)
        {
            var create = new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL).IfInfo()
                .String(IFLA_IFNAME, name)
                .UInt32(IFLA_LINK, (uint)Host.RequireIndex(parent))
                .Begin(IFLA_LINKINFO).String(IFLA_INFO_KIND, "vlan").Begin(IFLA_INFO_DATA).UInt16(IFLA_VLAN_ID, (ushort)vlanId).End().End();
            IgnoreExists(Host.TrySend(create), "netlink newlink vlan", name);
        }
        SetUp(Host, Host.RequireIndex(name));
    }

    public void CreateLink(LinkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nsFd = Errno.CheckIo(NetlinkSyscalls.Open(request.NamespacePath, FdSyscalls.O_RDONLY | FdSyscalls.O_CLOEXEC), "open", request.NamespacePath);
        try
        {
            var message = new NetlinkMessage(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
            switch (request.Kind)
            {
                case "veth":
                    message.IfInfo(flags: IFF_UP, change: IFF_UP).String(IFLA_IFNAME, request.Name);
                    if (request.Mtu > 0) message.UInt32(IFLA_MTU, (uint)request.Mtu);
                    if (request.Master is { } master) message.UInt32(IFLA_MASTER, (uint)Host.RequireIndex(master));
                    message.Begin(IFLA_LINKINFO).String(IFLA_INFO_KIND, "veth").Begin(IFLA_INFO_DATA).Begin(VETH_INFO_PEER)
                        .IfInfo().String(IFLA_IFNAME, request.PeerName).UInt32(IFLA_NET_NS_FD, (uint)nsFd);
                    if (request.Mtu > 0) message.UInt32(IFLA_MTU, (uint)request.Mtu);
                    if (request.PeerMac is { } mac) message.Attribute(IFLA_ADDRESS, ParseMac(mac));
                    message.End().End().End();
                    break;
                case "macvlan" or "ipvlan":
                    // Created straight inside the namespace under its final name; the parent stays on the host.
                    message.IfInfo().String(IFLA_IFNAME, request.PeerName)
                        .UInt32(IFLA_LINK, (uint)Host.RequireIndex(request.Parent ?? throw new ArgumentException("parent required", nameof(request))))
                        .UInt32(IFLA_NET_NS_FD, (uint)nsFd);
                    if (request.Mtu > 0) message.UInt32(IFLA_MTU, (uint)request.Mtu);
                    if (request.PeerMac is { } macAddress && request.Kind == "macvlan") message.Attribute(IFLA_ADDRESS, ParseMac(macAddress));
                    message.Begin(IFLA_LINKINFO).String(IFLA_INFO_KIND, request.Kind).Begin(IFLA_INFO_DATA);
                    if (request.Kind == "macvlan") message.UInt32(IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
                    else message.UInt16(IFLA_IPVLAN_MODE, request.Mode == "l3" ? (ushort)1 : (ushort)0);
                    message.End().End();
                    break;
                default:
                    throw new ArgumentException($"unsupported link kind {request.Kind}", nameof(request));
            }
            Host.Send(message, $"netlink newlink {request.Kind} {request.Name}");
        }
        finally
        {
            FdSyscalls.Close(nsFd);
        }
    }

    public void ConfigureInNamespace(string namespacePath, IReadOnlyList<NamespaceInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        using var socket = NetlinkSocket.OpenIn(namespacePath);
        SetUp(socket, socket.RequireIndex("lo"));
        foreach (var nic in interfaces)
        {
            var index = socket.RequireIndex(nic.Name);
            foreach (var address in nic.Addresses) AddAddress(socket, index, address);
            SetUp(socket, index);
            if (nic.Gateway is { } gateway) AddDefaultRoute(socket, index, gateway);
            if (nic.Gateway6 is { } gateway6) AddDefaultRoute(socket, index, gateway6);
        }
    }

    public void DeleteLink(string name, string? namespacePath = null)
    {
        var message = new NetlinkMessage(RTM_DELLINK, 0).IfInfo().String(IFLA_IFNAME, name);
        int error;
        if (namespacePath is null) error = Host.TrySend(message);
        else
        {
            using var socket = NetlinkSocket.OpenIn(namespacePath);
            error = socket.TrySend(message);
        }
        if (error is not (0 or ENODEV)) throw new SyscallException("netlink dellink", name, error);
    }

    public bool LinkExists(string name) => Host.IndexOf(name) != 0;

    public IReadOnlyList<NetAddress> HostRoutes()
    {
        var routes = new List<NetAddress>();
        foreach (var line in File.ReadLines("/proc/net/route").Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8) continue;
            var destination = uint.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var mask = uint.Parse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (mask == 0) continue; // the default route overlaps everything; Docker ignores it too
            routes.Add(new NetAddress(new IPAddress(destination), System.Numerics.BitOperations.PopCount(mask)));
        }
        return routes;
    }

    private static void AddAddress(NetlinkSocket socket, int index, NetAddress address)
    {
        var v6 = address.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var bytes = address.Address.GetAddressBytes();
        var message = new NetlinkMessage(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
            .IfAddr(v6 ? AF_INET6 : AF_INET, (byte)address.PrefixLength, index, v6 ? IFA_F_NODAD : (byte)0)
            .Attribute(IFA_LOCAL, bytes)
            .Attribute(IFA_ADDRESS, bytes);
        IgnoreExists(socket.TrySend(message), "netlink newaddr", address.ToString());
    }

    private static void AddDefaultRoute(NetlinkSocket socket, int index, IPAddress gateway)
    {
        var v6 = gateway.AddressFamily == AddressFamily.InterNetworkV6;
        var message = new NetlinkMessage(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL)
            .RtMsg(v6 ? AF_INET6 : AF_INET, 0)
            .Attribute(RTA_GATEWAY, gateway.GetAddressBytes())
            .UInt32(RTA_OIF, (uint)index);
        IgnoreExists(socket.TrySend(message), "netlink newroute default via", gateway.ToString());
    }

    private static void SetUp(NetlinkSocket socket, int index) =>
        socket.Send(new NetlinkMessage(RTM_NEWLINK, 0).IfInfo(index: index, flags: IFF_UP, change: IFF_UP), "netlink setlink up");

    private static void IgnoreExists(int error, string operation, string what)
    {
        if (error is not (0 or EEXIST)) throw new SyscallException(operation, what, error);
    }

    /// <summary>Random, unicast (bit 0 clear) and locally administered (bit 1 set).</summary>
    private static byte[] RandomBridgeMac()
    {
        var mac = System.Security.Cryptography.RandomNumberGenerator.GetBytes(6);
        mac[0] = (byte)((mac[0] & 0xFE) | 0x02);
        return mac;
    }

    private static byte[] ParseMac(string mac) =>
        mac.Split(':').Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();

    public void Dispose()
    {
        if (_host.IsValueCreated) _host.Value.Dispose();
    }
}
