namespace Wharf.Compose.Model;

public sealed class ServiceNetwork
{
    public List<string> Aliases { get; } = [];

    public string? Ipv4Address { get; set; }

    public string? Ipv6Address { get; set; }

    public int Priority { get; set; }

    /// <summary>Given as a mapping (even an empty one) rather than a bare name: Compose v2 hashes the
    /// two differently ({} against null).</summary>
    public bool HasSettings { get; set; }
}
