namespace Wharf.Engine.Containers.Health;

/// <summary>Docker's State.Health. Treated as immutable: the monitor replaces the whole report after each probe,
/// so readers (inspect, ps) never see a half-updated log.</summary>
public sealed class HealthReport
{
    public const string Starting = "starting";
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string None = "none";

    /// <summary>starting | healthy | unhealthy.</summary>
    public string Status { get; set; } = Starting;
    public int FailingStreak { get; set; }
    /// <summary>The last <see cref="HealthRules.MaxLogEntries"/> probes, oldest first.</summary>
    public List<HealthLogEntry> Log { get; set; } = [];
}
