namespace Wharf.Api.Containers;

public sealed class MountVolumeOptions
{
    public bool NoCopy { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public MountVolumeDriverConfig? DriverConfig { get; set; }
    public string? Subpath { get; set; }
}
