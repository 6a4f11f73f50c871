using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>At daemon start: loads every container record, reconnects to the shims of running containers and
    /// records the true exit of those that ended while the daemon was down (from their exit files).</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        var root = _store.RecordsRoot;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var file = Path.Combine(dir, "config.v2.json");
            ContainerRecord? record;
            try
            {
                record = File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), EngineJsonContext.Default.ContainerRecord) : null;
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                record = null; // a record we cannot read must not stop the daemon; leave the directory for inspection
                ContainerLog.RecordUnreadable(_log, e, file);
            }
            if (record is null) continue;
            var entry = _store.Restore(record);
            if (!record.State.Running) continue;

            var stateDir = PathsOf(record).StateDir;
            if (_shims.IsAlive(stateDir))
            {
                await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    _health.StartMonitor(entry, record.State.Health);
                }
                finally
                {
                    entry.Gate.Release();
                }
                MonitorAsync(entry, stateDir).Observe(_log, "exit monitor", record.Id);
            }
            else
            {
                await OnExitedAsync(entry, ReadExitFile(record)).ConfigureAwait(false);
            }
        }
        await ReconcileAsync().ConfigureAwait(false);
        await RemoveStoppedAutoRemoveContainersAsync().ConfigureAwait(false);
        StartContainersByPolicyAfterRestore();
    }

    /// <summary>As dockerd at restore: an --rm container that does not run is removed (its run ended, or was cut
    /// short, while no daemon was there to remove it).</summary>
    private async Task RemoveStoppedAutoRemoveContainersAsync()
    {
        foreach (var record in _store.List().Where(r => r.Host.AutoRemove && !r.State.Running))
        {
            try
            {
                await RemoveAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (EngineException e)
            {
                ContainerLog.ReconcileStepFailed(_log, e, record.Id, "removal of an --rm container");
            }
        }
    }

    /// <summary>Counts for /info.</summary>
    public (int Running, int Paused, int Stopped) CountByState()
    {
        var all = _store.List();
        var paused = all.Count(r => r.State.Paused);
        var running = all.Count(r => r.State.Running && !r.State.Paused);
        return (running, paused, all.Count - running - paused);
    }
}
