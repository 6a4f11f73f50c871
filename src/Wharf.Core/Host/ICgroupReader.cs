namespace Wharf.Core.Host;

/// <summary>Reads a container's cgroup (v1 or v2, detected by the implementation) and the host figures that go
/// with a stats sample. Implemented in Wharf.Linux; faked in engine tests.</summary>
public interface ICgroupReader
{
    /// <summary>One sample of the cgroup at <paramref name="cgroupsPath"/> (e.g. "/wharf/&lt;id&gt;") plus the network
    /// counters of <paramref name="pid"/>'s network namespace (0: none).</summary>
    CgroupSample Sample(string cgroupsPath, int pid);

    /// <summary>The host pids of every process in the cgroup (for docker top).</summary>
    IReadOnlyList<int> Pids(string cgroupsPath);
}
