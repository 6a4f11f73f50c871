using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>docker pause: freezes every process of a running container (runc pause, cgroup freezer).</summary>
    public async Task PauseAsync(string nameOrId, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = entry.Record;
            if (!record.State.Running) throw EngineException.Conflict($"Container {record.Id} is not running");
            if (record.State.Paused) throw EngineException.Conflict($"Container {record.Id} is already paused");
            if (record.State.Restarting) throw EngineException.Conflict($"Container {record.Id} is restarting, wait until the container is running");
            try
            {
                await Runtime.PauseAsync(record.Id, ct).ConfigureAwait(false);
            }
            catch (IOException e) when (ProcessIsGone(e))
            {
                // It exited a moment ago and the exit is not recorded yet: to the caller it is not running.
                throw EngineException.Conflict($"Container {record.Id} is not running");
            }
            catch (IOException e)
            {
                throw new EngineException(ErrorKind.Unknown, $"Cannot pause container {record.Id}: {e.Message}", e);
            }
            record.State.Paused = true;
            record.State.Status = ContainerStatus.Paused;
            Persist(record);
            Publish(record, "pause");
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>docker unpause: thaws a paused container.</summary>
    public async Task UnpauseAsync(string nameOrId, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = entry.Record;
            if (!record.State.Paused || !record.State.Running) throw EngineException.Conflict($"Container {record.Id} is not paused");
            await RunRuntimeAsync(() => Runtime.ResumeAsync(record.Id, ct), "Cannot unpause container", record).ConfigureAwait(false);
            record.State.Paused = false;
            record.State.Status = ContainerStatus.Running;
            Persist(record);
            Publish(record, "unpause");
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>runc's words for a container whose process has ended (or whose state is already gone).</summary>
    private static bool ProcessIsGone(IOException e) =>
        e.Message.Contains("container not running", StringComparison.Ordinal) || e.Message.Contains("container does not exist", StringComparison.Ordinal);

    /// <summary>Runtime failures keep runc's words behind Docker's prefix ("Cannot pause container x: ...").</summary>
    private static async Task RunRuntimeAsync(Func<Task> action, string what, ContainerRecord record)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new EngineException(ErrorKind.Unknown, $"{what} {record.Id}: {e.Message}", e);
        }
    }

    private IRuntimeControl Runtime =>
        _runtime ?? throw new EngineException(ErrorKind.Unknown, "this daemon has no runtime control configured");

    /// <summary>A frozen process cannot act on a signal, not even SIGKILL: thaw first, as Docker does, so stop,
    /// kill and rm -f of a paused container work.</summary>
    private async Task ThawBeforeSignalAsync(ContainerEntry entry, CancellationToken ct)
    {
        var record = entry.Record;
        if (!record.State.Paused || !record.State.Running) return;
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Looked at again with the gate held: an unpause or an exit may have come first.
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
        finally
        {
            entry.Gate.Release();
        }
    }
}
