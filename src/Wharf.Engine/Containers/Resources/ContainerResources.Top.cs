using Wharf.Core.Errors;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Resources;

public sealed partial class ContainerResources
{
    /// <summary>docker top: the host's ps output (default "-ef") narrowed to the processes in the container's
    /// cgroup.</summary>
    public async Task<PsTable> TopAsync(string nameOrId, string? psArgs, CancellationToken ct)
    {
        var record = store.Get(nameOrId);
        if (!record.State.Running) throw EngineException.Conflict($"Container {record.Id} is not running");
        if (record.State.Restarting) throw EngineException.Conflict($"Container {record.Id} is restarting, wait until the container is running");
        var args = (string.IsNullOrWhiteSpace(psArgs) ? "-ef" : psArgs).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pids = CgroupReader.Pids(CgroupsPathOf(record));
        string output;
        try
        {
            output = await Runtime.ProcessTableAsync(args, pids, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // ps refusing its arguments is the caller's ps_args, not a daemon fault.
            throw new EngineException(ErrorKind.InvalidArgument, $"Error running ps: {e.Message}", e);
        }
        PsTable table;
        try
        {
            table = PsTable.Parse(output, pids);
        }
        catch (FormatException e)
        {
            throw new EngineException(ErrorKind.InvalidArgument, e.Message, e);
        }
        Publish(record, "top");
        return table;
    }
}
