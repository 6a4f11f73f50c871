namespace Wharf.Compose.Model;

/// <summary>depends_on entry; Condition is service_started, service_healthy or service_completed_successfully.</summary>
public sealed record DependsOn(string Condition = DependsOn.Started, bool Restart = false, bool Required = true)
{
    public const string Started = "service_started";
    public const string Healthy = "service_healthy";
    public const string CompletedSuccessfully = "service_completed_successfully";
}
