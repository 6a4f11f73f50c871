namespace Wharf.Api.Networks;

public sealed class Ipam
{
    public string Driver { get; set; } = "default";
    public List<IpamConfig>? Config { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
