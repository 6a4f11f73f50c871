namespace Wharf.Linux.Netlink;

/// <summary>The rtnetlink numbers we use (linux/netlink.h, rtnetlink.h, if_link.h, if_addr.h).</summary>
internal static class NetlinkConstants
{
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;

    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;
    public const ushort IFLA_VXLAN_ID = 1;
    public const ushort IFLA_VXLAN_LINK = 3;
    public const ushort IFLA_VXLAN_LOCAL = 4;
    public const ushort IFLA_VXLAN_LEARNING = 7;
    public const ushort IFLA_VXLAN_PROXY = 11;
    public const ushort IFLA_VXLAN_PORT = 15;
    public const byte AF_BRIDGE = 7;
    public const byte NTF_SELF = 0x02;
    public const ushort NUD_PERMANENT = 0x80;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort VETH_INFO_PEER = 1;
    public const ushort IFLA_MACVLAN_MODE = 1;
    public const ushort IFLA_IPVLAN_MODE = 1;
    public const ushort IFLA_VLAN_ID = 1;
    public const uint MACVLAN_MODE_BRIDGE = 4;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort RTA_DST = 1;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const byte RT_TABLE_MAIN = 254;
    public const byte RTPROT_BOOT = 3;
    public const byte RTN_UNICAST = 1;

    public const uint IFF_UP = 0x1;
    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;

    public const int EEXIST = 17;
    public const int ENODEV = 19;
}
