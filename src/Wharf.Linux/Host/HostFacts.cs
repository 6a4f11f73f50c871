namespace Wharf.Linux.Host;

/// <summary>Facts about the machine reported by /info and /version.</summary>
public sealed record HostFacts
{
    public required string KernelVersion { get; init; }
    public required string OperatingSystem { get; init; }
    public required string OSType { get; init; }
    public required string Architecture { get; init; }
    public required int NCPU { get; init; }
    public required long MemTotal { get; init; }
    /// <summary>"1" or "2".</summary>
    public required string CgroupVersion { get; init; }
    public required string CgroupDriver { get; init; }
    public required string Hostname { get; init; }
}
