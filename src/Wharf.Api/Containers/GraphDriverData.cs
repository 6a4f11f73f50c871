namespace Wharf.Api.Containers;

/// <summary>Storage driver name and its driver-specific data (e.g. overlay2 LowerDir/UpperDir).</summary>
public sealed class GraphDriverData
{
    public string Name { get; set; } = "";
    public Dictionary<string, string>? Data { get; set; }
}
