namespace Wharf.Compose.Model;

public sealed class HealthcheckConfig
{
    public List<string>? Test { get; set; }

    public TimeSpan? Interval { get; set; }

    public TimeSpan? Timeout { get; set; }

    public int? Retries { get; set; }

    public TimeSpan? StartPeriod { get; set; }

    public TimeSpan? StartInterval { get; set; }

    public bool Disable { get; set; }
}
