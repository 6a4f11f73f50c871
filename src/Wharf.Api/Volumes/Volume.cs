using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>A volume (GET /volumes/{name}, entries of GET /volumes).</summary>
public sealed class Volume
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "";
    public string Mountpoint { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Status { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
    public string Scope { get; set; } = "local";
    public Dictionary<string, string>? Options { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VolumeUsageData? UsageData { get; set; }
}
