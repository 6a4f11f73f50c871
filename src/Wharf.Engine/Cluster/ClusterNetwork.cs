using Wharf.Engine.Networks;

namespace Wharf.Engine.Cluster;

/// <summary>A global (overlay) network as the cluster store keeps it: the same id, name and VNI on every host, the
/// subnets its addresses come from, and the whole definition a host needs to show and use a network another host
/// created (`network ls`/`inspect` there, `run --network` there). <see cref="Node"/> is the creating host (its own
/// watch skips what it has just saved itself).</summary>
public sealed record ClusterNetwork(string Id, string Name, int Vni, IReadOnlyList<string> Subnets)
{
    public string Node { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public bool EnableIPv6 { get; init; }
    public List<IpamPool> Ipam { get; init; } = [];
    public Dictionary<string, string> IpamOptions { get; init; } = [];
    public Dictionary<string, string> Options { get; init; } = [];
    public Dictionary<string, string> Labels { get; init; } = [];

    /// <summary>The definition of <paramref name="network"/> (its endpoints are per host and stay out).</summary>
    public static ClusterNetwork Of(NetworkRecord network, int vni, string node)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new ClusterNetwork(network.Id, network.Name, vni, [.. network.Ipam.Select(p => p.Subnet)])
        {
            Node = node,
            Created = network.Created,
            Internal = network.Internal,
            Attachable = network.Attachable,
            EnableIPv6 = network.EnableIPv6,
            Ipam = network.Ipam,
            IpamOptions = network.IpamOptions,
            Options = network.Options,
            Labels = network.Labels,
        };
    }

    /// <summary>A local record of the network for a host that did not create it (no endpoints yet).</summary>
    public NetworkRecord ToRecord() => new()
    {
        Id = Id,
        Name = Name,
        Driver = OverlayDriver.DriverName,
        Created = Created,
        Internal = Internal,
        Attachable = Attachable,
        EnableIPv6 = EnableIPv6,
        Ipam = Ipam.Count > 0 ? [.. Ipam] : [.. Subnets.Select(s => new IpamPool { Subnet = s })],
        IpamOptions = new(IpamOptions, StringComparer.Ordinal),
        Options = new(Options, StringComparer.Ordinal),
        Labels = new(Labels, StringComparer.Ordinal),
        Interface = "ov-" + Id[..12],
    };
}
