namespace Wharf.Api.Containers;

/// <summary>Healthcheck settings; durations are nanoseconds like Go's time.Duration.</summary>
public sealed class HealthConfig
{
    public List<string>? Test { get; set; }
    public long Interval { get; set; }
    public long Timeout { get; set; }
    public int Retries { get; set; }
    public long StartPeriod { get; set; }
    public long StartInterval { get; set; }
}
