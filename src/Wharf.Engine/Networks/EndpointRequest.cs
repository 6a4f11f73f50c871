namespace Wharf.Engine.Networks;

/// <summary>What a container asks of one network (Docker's EndpointSettings at create/connect): static
/// addresses, aliases and the driver options kept for inspect.</summary>
public sealed class EndpointRequest
{
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
    public List<string> Aliases { get; set; } = [];
    public List<string> Links { get; set; } = [];
    public Dictionary<string, string> DriverOpts { get; set; } = new(StringComparer.Ordinal);
}
