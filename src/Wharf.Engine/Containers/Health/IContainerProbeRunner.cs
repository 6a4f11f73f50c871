namespace Wharf.Engine.Containers.Health;

/// <summary>Runs a health probe inside a running container (an exec) and reports how it ended. A probe that
/// outlives <c>timeout</c> is killed and reported with exit code -1.</summary>
public interface IContainerProbeRunner
{
    Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct);
}
