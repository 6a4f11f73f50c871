using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>One item of GET /containers/json.</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";
    public List<string> Names { get; set; } = [];
    public string Image { get; set; } = "";
    public string ImageID { get; set; } = "";
    public string Command { get; set; } = "";
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    public List<ContainerPort> Ports { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRw { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SizeRootFs { get; set; }

    public Dictionary<string, string>? Labels { get; set; }
    public string State { get; set; } = "";
    public string Status { get; set; } = "";
    public ContainerSummaryHostConfig HostConfig { get; set; } = new();
    public ContainerSummaryNetworkSettings NetworkSettings { get; set; } = new();
    public List<MountPoint> Mounts { get; set; } = [];
}
