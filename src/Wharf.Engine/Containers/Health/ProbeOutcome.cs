namespace Wharf.Engine.Containers.Health;

/// <summary>How one probe ended: 0 healthy, 1 unhealthy (any other code counts as a failure too), -1 timed out.
/// Output is stdout and stderr together.</summary>
public sealed record ProbeOutcome(int ExitCode, string Output)
{
    public const int TimedOut = -1;
}
