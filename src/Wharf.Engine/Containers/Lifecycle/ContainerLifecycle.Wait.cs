using Wharf.Core.Shim;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    /// <summary>docker wait. The caller (API) sends response headers before awaiting this: the CLI sends
    /// wait before start and blocks until the headers arrive.</summary>
    public Task<WaitResult> WaitAsync(string nameOrId, WaitCondition condition, CancellationToken ct)
    {
        return _store.WaitTask(Find(nameOrId), condition, ct);
    }

    /// <summary>Blocks on the shim's "wait" until the container exits, then records the exit. Runs for the life
    /// of the container; if the daemon stops first, the next daemon picks the container up again.</summary>
    private async Task MonitorAsync(ContainerEntry entry, string stateDir)
    {
        ShimResponse? exit = null;
        try
        {
            exit = await _shims.WaitAsync(stateDir, null, _shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // daemon shutting down: the container keeps running under its shim
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            // The shim ends once its container has and everyone connected has their answer, so a container that exits
            // before this monitor connects (a short `run --rm`) leaves its exit file and no socket: the normal case,
            // not worth a warning. A shim gone without an exit file is; either way the exit file is the truth.
            exit = ReadExitFile(entry.Record, onMissing: () => ContainerLog.ShimLost(_log, e, entry.Record.Id));
        }
        if (_shutdown.IsCancellationRequested) return;
        await OnExitedAsync(entry, exit ?? ReadExitFile(entry.Record)).ConfigureAwait(false);
    }

    private ShimResponse ReadExitFile(ContainerRecord record, Action? onMissing = null)
    {
        if (_shims.ReadExitFile(PathsOf(record).StateDir) is { } exit)
            return new ShimResponse { Ok = true, ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, OomKilled = exit.OomKilled };
        // No shim and no exit file (e.g. the host rebooted): Docker reports such containers as exited with 255.
        onMissing?.Invoke();
        ContainerLog.NoExitFile(_log, record.Id);
        return new ShimResponse { Ok = false, ExitCode = 255, FinishedAt = _time.GetUtcNow(), Error = "container's supervisor is gone" };
    }

    /// <summary>Records an exit and releases what the run held. Waiters are released whatever fails here (a record
    /// that cannot be saved, an unmount or a network release that throws): a `docker wait` or `docker run` must never
    /// hang on cleanup, and every such failure is logged.</summary>
    private async Task OnExitedAsync(ContainerEntry entry, ShimResponse exit)
    {
        var record = entry.Record;
        TaskCompletionSource<WaitResult>? exitWaiter = null;
        TimeSpan? restartDelay = null;
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            try
            {
                restartDelay = RecordExitLocked(entry, exit);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The state in memory is right; only its file is behind. The next transition writes it again.
                ContainerLog.RecordExitFailed(_log, e, record.Id, exit.ExitCode);
            }
            // Waits sent before this exit (even before the start: the CLI does that) complete now; later ones
            // wait for the next run.
            exitWaiter = _store.TakeNextExitWaiter(entry);
            CleanUpAfterExit(record);
            // As Docker, which deletes the sandbox before it marks the container stopped: `docker wait`, `docker stop`
            // and `rm -f` answer once the run's veths, namespace pin and port rules are gone from the kernel.
            await AwaitNetworkReleasedAsync(record).ConfigureAwait(false);
        }
        finally
        {
            entry.Gate.Release();
            // Even when something above threw unexpectedly (the fault reaches the monitor's observer and is logged).
            (exitWaiter ?? _store.TakeNextExitWaiter(entry)).TrySetResult(new WaitResult(exit.ExitCode));
        }
        if (restartDelay is { } delay)
        {
            RestartAfterBackoffAsync(entry, delay).Observe(_log, "restart", record.Id);
            return;
        }
        if (record.Host.AutoRemove)
        {
            await RemoveAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>With the container's gate held: the exit goes into the record. Returns the restart delay when the
    /// restart policy starts the container again.</summary>
    private TimeSpan? RecordExitLocked(ContainerEntry entry, ShimResponse exit)
    {
        var record = entry.Record;
        if (!record.State.Running) return null;
        _health.StopMonitor(record, markUnhealthy: true);
        record.State.Paused = false;
        record.State.Pid = 0;
        record.State.ExitCode = exit.ExitCode;
        record.State.OomKilled = exit.OomKilled;
        record.State.FinishedAt = exit.FinishedAt ?? _time.GetUtcNow();
        // Readers see none of this until it is committed (Persist here, or in DecideRestartLocked when the policy
        // restarts): they go straight from "running" to "restarting" or "exited".
        var restartDelay = DecideRestartLocked(entry, exit.ExitCode);
        if (restartDelay is null)
        {
            record.State.Running = false;
            record.State.Status = ContainerStatus.Exited;
        }
        if (exit.OomKilled) Publish(record, "oom");
        Publish(record, "die", ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (restartDelay is null) Persist(record);
        return restartDelay;
    }

    /// <summary>Every step runs, whatever the one before did. The shim unmounts the rootfs itself; doing it again is
    /// harmless and covers a crashed shim.</summary>
    private void CleanUpAfterExit(ContainerRecord record)
    {
        CleanUpStep(record, "rootfs unmount", () => _mounts.Unmount(PathsOf(record).RootfsMount));
        foreach (var participant in _participants) CleanUpStep(record, participant.Name, () => participant.ReleaseRun(record));
    }

    /// <summary>Waits for the queued kernel side of the network release, bounded: a wedged kernel call is logged,
    /// and must not hold a `docker wait` or a removal forever.</summary>
    private async Task AwaitNetworkReleasedAsync(ContainerRecord record)
    {
        try
        {
            await _networking.WhenNetworkReleased(record).WaitAsync(NetworkReleasePatience, _time).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            ContainerLog.CleanupFailed(_log, e, record.Id, "network release");
        }
    }

    private static readonly TimeSpan NetworkReleasePatience = TimeSpan.FromSeconds(60);

    private void CleanUpStep(ContainerRecord record, string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the container has exited and must be seen so; the leftover is logged for the admin.
            ContainerLog.CleanupFailed(_log, e, record.Id, step);
        }
    }
}
