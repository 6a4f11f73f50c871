namespace Wharf.Api.Containers;

public sealed class HealthState
{
    /// <summary>none, starting, healthy or unhealthy.</summary>
    public string Status { get; set; } = "none";
    public int FailingStreak { get; set; }
    public List<HealthCheckResult>? Log { get; set; }
}
