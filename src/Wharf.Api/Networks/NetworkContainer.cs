namespace Wharf.Api.Networks;

/// <summary>One endpoint in a network inspect's `Containers`.</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}
