namespace Wharf.Engine.Networks;

/// <summary>One network as persisted (data-root/network/&lt;id&gt;.json), with its live endpoints (the address
/// allocations) so they survive a daemon restart.</summary>
public sealed class NetworkRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The name of its driver (see <see cref="Drivers.NetworkDriverRegistry"/>).</summary>
    public required string Driver { get; set; }
    public DateTimeOffset Created { get; set; }
    public bool EnableIPv6 { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    /// <summary>The swarm's routing-mesh network (Docker's "ingress"); one at most.</summary>
    public bool Ingress { get; set; }
    public List<IpamPool> Ipam { get; set; } = [];
    public Dictionary<string, string> IpamOptions { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
    /// <summary>The Linux bridge for bridge networks; the parent interface for macvlan/ipvlan.</summary>
    public string Interface { get; set; } = "";
    /// <summary>macvlan/ipvlan: the parent is a VLAN sub-interface ("eth0.42") this network created, deleted with it.</summary>
    public bool CreatedParent { get; set; }
    /// <summary>Keyed by container id.</summary>
    public Dictionary<string, EndpointRecord> Endpoints { get; set; } = [];

    /// <summary>The networks Docker creates itself and that cannot be removed.</summary>
    public bool IsPredefined => Name is "bridge" or "host" or "none";

    /// <summary>The default network "bridge" (Docker's legacy one: no embedded DNS, no aliases or static addresses).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDefaultBridge => Name == "bridge";
}
