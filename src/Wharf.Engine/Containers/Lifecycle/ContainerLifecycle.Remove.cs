using Wharf.Core.Errors;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Store;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>docker rm: refuses a running container unless forced (then SIGKILL first). Removes the writable
    /// layer, the container's files and its record; completes "removed" waits.</summary>
    public async Task RemoveAsync(string nameOrId, bool force, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var record = entry.Record;
        if (force)
        {
            // As docker kill: the SIGKILL below is the user's, so the restart policy must not answer the exit with a
            // restart (the container would be "restarting", counted as running, and the removal refused).
            await NoteUserKillAsync(entry, SigKill, ct).ConfigureAwait(false);
            await StopIfRestartingAsync(entry).ConfigureAwait(false);
        }
        // A start in progress holds the gate and may finish while rm -f waits for it: the container then runs and is
        // killed like any other (a few rounds at most: a start loop elsewhere must not hold rm forever).
        for (var attempt = 0; ; attempt++)
        {
            if (record.State.Running)
            {
                if (!force)
                    throw EngineException.Conflict($"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
                await StopRunningAsync(entry, SigKill, 0, ct).ConfigureAwait(false);
            }
            await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
            if (!force || !record.State.Running || entry.RemovalInProgress || attempt == 2) break;
            entry.Gate.Release();
        }
        try
        {
            if (entry.RemovalInProgress) return;
            if (record.State.Running)
                throw EngineException.Conflict($"cannot remove container \"/{record.Name}\": container is running: stop the container before removing or force remove");
            entry.RemovalInProgress = true;
            var paths = PathsOf(record);
            var errors = new List<string>();
            // A shim left in the state directory (a start cut short) would outlive the directory, unreachable.
            await DismissStrayShimAsync(paths.StateDir).ConfigureAwait(false);
            Teardown.Try(errors, () => _mounts.Unmount(paths.RootfsMount));
            Teardown.Try(errors, () => _networking.ReleaseNetwork(record));
            // Docker answers rm after the cleanup: the veths, namespace pin and port rules (queued, shared with other
            // removals in flight) must be gone when the client has its answer.
            await AwaitNetworkReleasedAsync(record).ConfigureAwait(false);
            Teardown.Try(errors, () => _snapshots.RemoveContainerLayer(record.Id));
            Teardown.Try(errors, () => DeleteDirectory(paths.StateDir));
            Teardown.Try(errors, () => DeleteDirectory(paths.DataDir));
            _store.Forget(record);
            ForgetRestartPolicy(record);
            ContainerIo.FailPendingAttaches(entry, EngineException.NoSuchContainer(record.Id));
            Publish(record, "destroy");
            if (record.Host.AutoRemove || entry.RemoveVolumes) _volumeMounts.RemoveAnonymousVolumes(record, errors);
            entry.Removed.TrySetResult(new WaitResult(record.State.ExitCode, errors.Count > 0 ? string.Join("; ", errors) : null));
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>docker rm [-v]: <paramref name="removeVolumes"/> also removes the container's anonymous volumes.</summary>
    public Task RemoveAsync(string nameOrId, bool force, bool removeVolumes, CancellationToken ct)
    {
        if (removeVolumes) Find(nameOrId).RemoveVolumes = true;
        return RemoveAsync(nameOrId, force, ct);
    }

    /// <summary>docker container prune: removes every container that is not running and matches.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(Func<ContainerSnapshot, bool> matches, CancellationToken ct)
    {
        var removed = new List<string>();
        foreach (var record in _store.List().Where(r => !r.State.Running && matches(r)))
        {
            try
            {
                await RemoveAsync(record.Id, force: false, ct).ConfigureAwait(false);
                removed.Add(record.Id);
            }
            catch (EngineException)
            {
                // Started or removed meanwhile: not ours to prune any more.
            }
        }
        return removed;
    }

    /// <summary>docker rename.</summary>
    public async Task RenameAsync(string nameOrId, string newName, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        var record = entry.Record;
        var normalized = Naming.ContainerNames.Normalize(newName);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var oldName = _store.Rename(record, normalized);
            Persist(record);
            Publish(record, "rename", ("oldName", "/" + oldName));
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }
}
