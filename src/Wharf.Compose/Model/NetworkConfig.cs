namespace Wharf.Compose.Model;

/// <summary>A top-level network. Name is the engine name (project_key unless name: or external).</summary>
public sealed class NetworkConfig
{
    public string Name { get; set; } = "";

    public string? Driver { get; set; }

    public SortedDictionary<string, string> DriverOpts { get; } = new(StringComparer.Ordinal);

    public bool External { get; set; }

    public bool Internal { get; set; }

    public bool Attachable { get; set; }

    public bool? EnableIpv6 { get; set; }

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public List<IpamPool> IpamConfig { get; } = [];

    public string? IpamDriver { get; set; }
}
