namespace Wharf.Api.Containers;

public sealed class MountVolumeDriverConfig
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}
