using Wharf.Core.Oci;

namespace Wharf.Core.Host;

/// <summary>Controls a container the OCI runtime already runs (runc pause/resume/update). Implemented in
/// Wharf.Linux by calling runc with the daemon's runtime root; faked in engine tests.</summary>
public interface IRuntimeControl
{
    /// <summary>Freezes every process of the container (cgroup freezer).</summary>
    Task PauseAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Thaws a paused container.</summary>
    Task ResumeAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>Applies new cgroup limits to a running container (memory, cpu, pids, blkio).</summary>
    Task UpdateAsync(string containerId, SpecResources resources, CancellationToken cancellationToken);

    /// <summary>runc delete --force: kills what is left of the container and removes runc's state and its cgroup.
    /// A container runc does not know is not an error.</summary>
    Task DeleteAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>The ids of the containers runc keeps state for under the daemon's runtime root.</summary>
    IReadOnlyList<string> ListContainers();

    /// <summary>The host's `ps &lt;psArgs&gt;` output, narrowed to <paramref name="pids"/> where ps allows it (the
    /// caller filters again: some ps options cannot be combined with a pid list).</summary>
    Task<string> ProcessTableAsync(IReadOnlyList<string> psArgs, IReadOnlyList<int> pids, CancellationToken cancellationToken);
}
