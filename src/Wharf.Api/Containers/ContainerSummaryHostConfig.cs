using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

public sealed class ContainerSummaryHostConfig
{
    public string NetworkMode { get; set; } = "default";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }
}
