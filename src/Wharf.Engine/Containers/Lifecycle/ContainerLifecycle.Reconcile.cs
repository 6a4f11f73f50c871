using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core.Shim;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    private const string ShimCreated = "created";
    private const string ShimRunning = "running";

    /// <summary>How long a shim that is still running runc (it reports "created" and refuses abandon) gets to say
    /// whether its container runs.</summary>
    private static readonly TimeSpan ShimSettleLimit = TimeSpan.FromSeconds(10);

    /// <summary>After the records are loaded at daemon start: a daemon killed at any point leaves only what a
    /// container still owns. Shims first (one whose container runs is adopted, since the record lags behind it; one
    /// never started is sent away; one nobody can reach or that serves no container is killed), then the rootfs
    /// mounts and state directories of containers that do not run, runc's state and cgroups of containers that do not
    /// run, and the endpoints and pinned namespaces (hence veths) of containers that do not run.</summary>
    public async Task<ReconcileReport> ReconcileAsync()
    {
        var report = new ReconcileReport();
        var containersDir = Path.Combine(_options.ExecRoot, "containers");
        foreach (var shim in _shims.ListShims(containersDir))
            await ReconcileShimAsync(shim, report).ConfigureAwait(false);

        var running = _store.List().Where(r => r.State.Running).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(containersDir))
        {
            foreach (var dir in Directory.EnumerateDirectories(containersDir))
            {
                var id = Path.GetFileName(dir);
                if (running.Contains(id)) continue;
                var rootfs = Path.Combine(dir, "rootfs");
                if (TryStep(id, "rootfs unmount", () => { if (_mounts.IsMounted(rootfs)) { _mounts.Unmount(rootfs); report.RootfsMounts++; } })
                    && !_store.TryGet(id, out _))
                {
                    // A directory without a record: a crash inside rm, or a start of a container removed since.
                    if (TryStep(id, "state directory removal", () => Directory.Delete(dir, recursive: true))) report.StateDirectories++;
                }
            }
        }

        if (_runtime is not null)
        {
            foreach (var id in _runtime.ListContainers().Where(id => !running.Contains(id)))
            {
                try
                {
                    await _runtime.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
                    report.RuntimeLeftovers++;
                }
                catch (IOException e)
                {
                    ContainerLog.ReconcileStepFailed(_log, e, id, "runc delete");
                }
            }
        }

        report.NetworkLeftovers = _networking.ReleaseAllBut(running);
        ContainerLog.Reconciled(_log, report.ShimsAdopted, report.ShimsDismissed, report.RootfsMounts, report.StateDirectories,
            report.RuntimeLeftovers, report.NetworkLeftovers);
        return report;
    }

    private async Task ReconcileShimAsync(ShimProcess shim, ReconcileReport report)
    {
        var id = Path.GetFileName(shim.StateDir);
        _store.TryGet(id, out var record);
        // Only the shim that wrote the pid file can own the socket; any other one for the same directory (its
        // socket was replaced) can never be reached again.
        if (ReadShimPid(shim.StateDir) is { } owner && owner != shim.Pid || !_shims.IsAlive(shim.StateDir))
        {
            KillShim(shim, report);
            return;
        }
        if (record is { State.Running: true }) return; // restored with its container, monitored already

        var state = await ShimStateAsync(shim.StateDir).ConfigureAwait(false);
        if (state?.Status == ShimCreated && await TryAbandonAsync(shim.StateDir).ConfigureAwait(false))
        {
            report.ShimsDismissed++;
            return;
        }
        // Refused: runc was starting the container when the daemon died. Its answer decides.
        // Real time, not the injected clock: this waits for a real process.
        var settling = System.Diagnostics.Stopwatch.StartNew();
        while (state?.Status == ShimCreated && settling.Elapsed < ShimSettleLimit)
        {
            await Task.Delay(50).ConfigureAwait(false);
            state = await ShimStateAsync(shim.StateDir).ConfigureAwait(false);
        }
        if (state is null) return; // gone meanwhile
        if (state.Status == ShimRunning && record is not null)
        {
            await AdoptAsync(_store.Find(id), shim.StateDir, state).ConfigureAwait(false);
            report.ShimsAdopted++;
        }
        else if (state.Status == ShimRunning)
        {
            // A container without a record (killed inside rm): the shim cleans up after the kill and exits.
            try { await _shims.KillAsync(shim.StateDir, SigKill, null, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or SocketException or JsonException) { KillShim(shim, report); return; }
            report.ShimsDismissed++;
        }
        else if (state.Status == ShimCreated)
        {
            KillShim(shim, report); // never answered: nothing to keep
        }
        // "exited": the shim is cleaning up and leaves on its own; the record already says the container does not run.
    }

    /// <summary>The record was written before the shim's start answer came (or the daemon died in between): the
    /// container runs, so it is running from now on and its exit is monitored as for any start.</summary>
    private async Task AdoptAsync(ContainerEntry entry, string stateDir, ShimResponse state)
    {
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            MarkRunningLocked(entry, state.Pid);
        }
        finally
        {
            entry.Gate.Release();
        }
        MonitorAsync(entry, stateDir).Observe(_log, "exit monitor", entry.Record.Id);
    }

    private void KillShim(ShimProcess shim, ReconcileReport report)
    {
        try
        {
            _shims.KillShim(shim.Pid);
            report.ShimsDismissed++;
        }
        catch (IOException e)
        {
            ContainerLog.ReconcileStepFailed(_log, e, Path.GetFileName(shim.StateDir), "shim kill");
        }
    }

    /// <summary>A live shim in a container's state directory whose record says it does not run: one never asked to
    /// start (a start cut short, a daemon killed between launch and start) is sent away; one that runs a container
    /// is killed with it. Without this, the next launch would wait for it and then cut it off.</summary>
    private async Task DismissStrayShimAsync(string stateDir)
    {
        if (!_shims.IsAlive(stateDir)) return;
        var state = await ShimStateAsync(stateDir).ConfigureAwait(false);
        if (state?.Status == ShimCreated)
            await _shims.AbandonAsync(stateDir).ConfigureAwait(false);
        else if (state?.Status == ShimRunning)
        {
            try { await _shims.KillAsync(stateDir, SigKill, null, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException or SocketException or JsonException) { /* gone meanwhile */ }
        }
    }

    private async Task<ShimResponse?> ShimStateAsync(string stateDir)
    {
        try
        {
            return await _shims.StateAsync(stateDir, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or JsonException)
        {
            return null;
        }
    }

    private async Task<bool> TryAbandonAsync(string stateDir)
    {
        await _shims.AbandonAsync(stateDir).ConfigureAwait(false);
        return !_shims.IsAlive(stateDir) || (await ShimStateAsync(stateDir).ConfigureAwait(false))?.Status != ShimCreated;
    }

    private static int? ReadShimPid(string stateDir)
    {
        try
        {
            return int.TryParse(File.ReadAllText(ShimPaths.PidFile(stateDir)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private bool TryStep(string id, string step, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ContainerLog.ReconcileStepFailed(_log, e, id, step);
            return false;
        }
    }
}
