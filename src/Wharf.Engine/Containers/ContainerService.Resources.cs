using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Resources;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>pause/resume/update of running containers (runc). Set by the composition root.</summary>
    public IRuntimeControl? RuntimeControl { get; init; }

    /// <summary>cgroup figures for stats and the process list for top. Set by the composition root.</summary>
    public ICgroupReader? Cgroups { get; init; }

    /// <summary>The cgroup every container runs in, as given to runc at start.</summary>
    public string CgroupsPathOf(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"{_options.CgroupParent}/{record.Id}";
    }

    private void ValidateResources(HostSettings host) =>
        ResourceValidation.ValidateCreate(host, _options.HostHardLimits, Environment.ProcessorCount);

    private IRuntimeControl Runtime =>
        RuntimeControl ?? throw new EngineException(ErrorKind.Unknown, "this daemon has no runtime control configured");

    private ICgroupReader CgroupReader =>
        Cgroups ?? throw new EngineException(ErrorKind.Unknown, "this daemon has no cgroup reader configured");

    /// <summary>A frozen process cannot act on a signal, not even SIGKILL: thaw first, as Docker does, so stop,
    /// kill and rm -f of a paused container work.</summary>
    private async Task ThawBeforeSignalAsync(ContainerEntry entry, CancellationToken ct)
    {
        var record = entry.Record;
        if (!record.State.Paused || !record.State.Running) return;
        try
        {
            await Runtime.ResumeAsync(record.Id, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Exited meanwhile, or already thawed: the signal below decides.
        }
        record.State.Paused = false;
        record.State.Status = ContainerStatus.Running;
        Persist(record);
    }
}
