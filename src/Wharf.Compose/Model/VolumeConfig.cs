namespace Wharf.Compose.Model;

/// <summary>A top-level volume. Name is the engine name (project_key unless name: or external).</summary>
public sealed class VolumeConfig
{
    public string Name { get; set; } = "";

    public string? Driver { get; set; }

    public SortedDictionary<string, string> DriverOpts { get; } = new(StringComparer.Ordinal);

    public bool External { get; set; }

    public SortedDictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);
}
