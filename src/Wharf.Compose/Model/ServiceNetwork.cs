namespace Wharf.Compose.Model;

public sealed class ServiceNetwork
{
    public List<string> Aliases { get; } = [];

    public string? Ipv4Address { get; set; }

    public string? Ipv6Address { get; set; }

    public int Priority { get; set; }
}
