using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

public sealed class ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; set; } = "created";
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    /// <summary>RFC3339Nano; "0001-01-01T00:00:00Z" when never started.</summary>
    public string StartedAt { get; set; } = "0001-01-01T00:00:00Z";
    public string FinishedAt { get; set; } = "0001-01-01T00:00:00Z";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthState? Health { get; set; }
}
