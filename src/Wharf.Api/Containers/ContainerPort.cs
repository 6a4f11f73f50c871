using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A port entry of the container list (`Port` in the spec).</summary>
public sealed class ContainerPort
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; set; }

    public int PrivatePort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PublicPort { get; set; }

    public string Type { get; set; } = "tcp";
}
