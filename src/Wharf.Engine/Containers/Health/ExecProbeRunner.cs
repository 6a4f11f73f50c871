using Wharf.Engine.Execs;

namespace Wharf.Engine.Containers.Health;

/// <summary>Health probes run as real execs in the container (as Docker's do): the same path as `docker exec`, so a
/// probe sees the container's environment, user and namespaces, and is killed on time-out by the shim.</summary>
public sealed class ExecProbeRunner(ContainerExecService execs) : IContainerProbeRunner
{
    public async Task<ProbeOutcome> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var outcome = await execs.RunProbeAsync(containerId, command, timeout, ct).ConfigureAwait(false);
        return new ProbeOutcome(outcome.ExitCode, outcome.Output);
    }
}
