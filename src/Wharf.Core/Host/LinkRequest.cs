namespace Wharf.Core.Host;

/// <summary>A link to create: a veth pair (host end <see cref="Name"/>, peer <see cref="PeerName"/> created directly
/// inside <see cref="NamespacePath"/>), or a macvlan/ipvlan child of <see cref="Parent"/> created inside the
/// namespace under <see cref="PeerName"/>.</summary>
/// <param name="Kind">"veth", "macvlan" or "ipvlan".</param>
/// <param name="Master">Bridge the host end of a veth is enslaved to (null: none).</param>
/// <param name="Mode">macvlan: "bridge"; ipvlan: "l2" or "l3".</param>
/// <param name="PeerMac">MAC of the namespace side ("02:42:..."), null to let the kernel choose.</param>
public sealed record LinkRequest(
    string Kind,
    string Name,
    string PeerName,
    string NamespacePath,
    string? Master = null,
    string? Parent = null,
    string? Mode = null,
    int Mtu = 0,
    string? PeerMac = null);
