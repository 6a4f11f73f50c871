using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Resources;

/// <summary>A container's resources: docker update (limits and restart policy, applied live through runc), top
/// (the host's ps narrowed to the container's cgroup) and stats (cgroup samples).</summary>
/// <param name="runtime">pause/resume/update of running containers (runc); null in a daemon without one.</param>
/// <param name="cgroups">cgroup figures for stats and the process list for top; null in a daemon without one.</param>
public sealed partial class ContainerResources(EngineOptions options, ContainerStore store, ContainerEvents events,
    IRuntimeControl? runtime = null, ICgroupReader? cgroups = null)
{
    private readonly EngineOptions _options = options;

    /// <summary>The cgroup every container runs in, as given to runc at start.</summary>
    public string CgroupsPathOf(ContainerSnapshot record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CgroupPaths.Of(record.Host, _options.CgroupParent, record.Id);
    }

    private IRuntimeControl Runtime =>
        runtime ?? throw new EngineException(ErrorKind.Unknown, "this daemon has no runtime control configured");

    private ICgroupReader CgroupReader =>
        cgroups ?? throw new EngineException(ErrorKind.Unknown, "this daemon has no cgroup reader configured");

    private ContainerEntry Find(string nameOrId) => store.Find(nameOrId);

    private void Persist(ContainerRecord record) => store.Persist(record);

    private void Publish(ContainerRecord record, string action, params (string Key, string Value)[] extra) => events.Publish(record, action, extra);

    private void Publish(ContainerSnapshot snapshot, string action, params (string Key, string Value)[] extra) => events.Publish(snapshot, action, extra);
}
