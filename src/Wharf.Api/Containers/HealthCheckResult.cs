namespace Wharf.Api.Containers;

public sealed class HealthCheckResult
{
    public string? Start { get; set; }
    public string? End { get; set; }
    public int ExitCode { get; set; }
    public string? Output { get; set; }
}
