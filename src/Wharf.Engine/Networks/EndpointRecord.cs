namespace Wharf.Engine.Networks;

/// <summary>A container's attachment to one network: its addresses (allocated from the network's IPAM), MAC, names.</summary>
public sealed class EndpointRecord
{
    public required string ContainerId { get; set; }
    /// <summary>The container's name (without '/') when it was connected.</summary>
    public string ContainerName { get; set; } = "";
    public required string EndpointId { get; set; }
    public string MacAddress { get; set; } = "";
    /// <summary>"172.18.0.2/16", or empty.</summary>
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
    /// <summary>The requested link-local addresses with their prefix ("169.254.8.8/16"), on the interface too.</summary>
    public List<string> LinkLocalAddresses { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
    public List<string> DnsNames { get; set; } = [];
    /// <summary>EndpointSettings.Links ("name:alias"): on a user network, names only this container resolves, the
    /// alias standing for the named container's addresses on the network.</summary>
    public List<string> Links { get; set; } = [];
    /// <summary>Host end of the veth pair (bridge networks).</summary>
    public string HostInterface { get; set; } = "";
    /// <summary>Name inside the container ("eth0").</summary>
    public string InterfaceName { get; set; } = "";
    /// <summary>What the network's driver keeps about the endpoint for its own leave (a second interface's name, a
    /// tunnel peer), persisted with it so a restarted daemon can still undo the join.</summary>
    public Dictionary<string, string> DriverState { get; set; } = [];
    /// <summary>Published ports as bound ("80/tcp" → host address and port), on the endpoint that carries them.</summary>
    public Dictionary<string, List<PortMapping>> Ports { get; set; } = [];
}
