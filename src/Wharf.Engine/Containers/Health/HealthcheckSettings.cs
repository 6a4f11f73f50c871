namespace Wharf.Engine.Containers.Health;

/// <summary>Docker's Config.Healthcheck as the engine keeps it. Durations are nanoseconds (Go's time.Duration),
/// 0 meaning "inherit from the image, else Docker's default".</summary>
public sealed class HealthcheckSettings
{
    /// <summary>[] inherit; ["NONE"] disabled; ["CMD", exe, args...]; ["CMD-SHELL", "command line"].</summary>
    public List<string> Test { get; set; } = [];
    public long Interval { get; set; }
    public long Timeout { get; set; }
    public long StartPeriod { get; set; }
    public long StartInterval { get; set; }
    public int Retries { get; set; }
}
