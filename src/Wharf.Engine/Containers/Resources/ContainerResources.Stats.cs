using Wharf.Core.Host;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Resources;

public sealed partial class ContainerResources
{
    /// <summary>One stats sample of a container's cgroup; null when it is not running (Docker then answers with
    /// zeroed figures).</summary>
    public CgroupSample? SampleStats(ContainerSnapshot record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.State.Running) return null;
        return CgroupReader.Sample(CgroupsPathOf(record), record.State.Pid);
    }
}
