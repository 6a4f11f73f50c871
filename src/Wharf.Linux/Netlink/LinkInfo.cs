namespace Wharf.Linux.Netlink;

/// <summary>A link as the kernel reports it: index, kind ("bridge", "vxlan", "veth"; empty for a plain device),
/// MTU and MAC ("aa:bb:..").</summary>
public sealed record LinkInfo(string Name, int Index, string Kind, int Mtu, string MacAddress);
