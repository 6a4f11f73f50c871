namespace Wharf.Engine.Containers;

/// <summary>Docker's State block. Mutated only by ContainerService under the container's lock.</summary>
public sealed class ContainerState
{
    /// <summary>created | running | paused | restarting | removing | exited | dead.</summary>
    public string Status { get; set; } = ContainerStatus.Created;
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OomKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Null for a container without a health check (and before its first start).</summary>
    public Health.HealthReport? Health { get; set; }
}

public static class ContainerStatus
{
    public const string Created = "created";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Restarting = "restarting";
    public const string Removing = "removing";
    public const string Exited = "exited";
    public const string Dead = "dead";
}
