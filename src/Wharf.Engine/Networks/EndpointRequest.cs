namespace Wharf.Engine.Networks;

/// <summary>What a container asks of one network (Docker's EndpointSettings at create/connect): static
/// addresses, aliases and the driver options kept for inspect.</summary>
public sealed class EndpointRequest
{
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
    public List<string> Aliases { get; set; } = [];
    public List<string> Links { get; set; } = [];
    /// <summary>The MAC the container's interface gets (EndpointSettings.MacAddress); empty: one derived from the address.</summary>
    public string MacAddress { get; set; } = "";
    /// <summary>IPAMConfig.LinkLocalIPs: extra addresses put on the interface beside the allocated ones.</summary>
    public List<string> LinkLocalIPs { get; set; } = [];
    public Dictionary<string, string> DriverOpts { get; set; } = new(StringComparer.Ordinal);
    /// <summary>EndpointSettings.GwPriority (API 1.48, --gw-priority): kept for inspect. Wharf's default route is the
    /// primary network's, so the priority is not yet used to choose among several gateways.</summary>
    public int GwPriority { get; set; }
}
