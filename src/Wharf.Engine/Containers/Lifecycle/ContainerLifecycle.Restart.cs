using Wharf.Engine.Containers.Restart;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Logging;

namespace Wharf.Engine.Containers.Lifecycle;

public sealed partial class ContainerLifecycle
{
    private RestartSupervisor? _restartSupervisor;

    /// <summary>Back-off and cancellation of automatic restarts (memory only, like Docker's restart manager).</summary>
    private RestartSupervisor Restarts => LazyInitializer.EnsureInitialized(ref _restartSupervisor, () => new RestartSupervisor(_time));

    /// <summary>At an exit (container gate held, exit code and FinishedAt recorded, status not yet changed): decides whether the restart policy starts
    /// the container again. If so the state becomes "restarting" (still counted as running, as in Docker, so stop,
    /// kill and rm treat it as live), RestartCount grows, and the delay to wait is returned.</summary>
    private TimeSpan? DecideRestartLocked(ContainerEntry entry, int exitCode)
    {
        var record = entry.Record;
        if (entry.RemovalInProgress || _shutdown.IsCancellationRequested || record.Host.AutoRemove) return null;
        var finishedAt = record.State.FinishedAt ?? _time.GetUtcNow();
        var ranFor = finishedAt - (record.State.StartedAt ?? finishedAt);
        var delay = Restarts.OnExit(record.Id, record.Host.RestartPolicy, record.Host.RestartMaxRetries, record.RestartCount,
            exitCode, record.HasBeenManuallyStopped, ranFor);
        if (delay is null) return null;
        record.RestartCount++;
        record.State.Running = true;
        record.State.Restarting = true;
        record.State.Status = ContainerStatus.Restarting;
        Persist(record);
        return delay;
    }

    /// <summary>Waits out the back-off, then starts the container again, unless a stop, kill or rm cancelled it
    /// meanwhile. A start that fails leaves the container exited, as Docker does.</summary>
    private async Task RestartAfterBackoffAsync(ContainerEntry entry, TimeSpan delay)
    {
        var record = entry.Record;
        var due = await Restarts.WaitAsync(record.Id, delay, _shutdown.Token).ConfigureAwait(false);
        // On daemon shutdown the record stays "restarting"; the next daemon finds no shim and decides again.
        if (_shutdown.IsCancellationRequested) return;
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!record.State.Restarting || entry.RemovalInProgress) return;
            if (!due)
            {
                MarkStoppedLocked(entry);
                return;
            }
            try
            {
                await StartLockedAsync(entry, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ContainerLog.RestartFailed(_log, e, record.Id);
                MarkStoppedLocked(entry); // the error is in State.Error already
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>The last run's shim reports the exit before it cleans up (runc delete, rootfs unmount) and only then
    /// closes its socket. Starting again before that (an automatic restart after 100 ms, docker restart) would let
    /// the old cleanup hit the new run (same id, same mount point), so every start waits for the socket to go. A
    /// shim that was never asked to start (a start cut short) would never go: it is sent away first.</summary>
    private async Task WaitForPreviousShimAsync(ContainerRecord record)
    {
        var stateDir = PathsOf(record).StateDir;
        if (_shims.IsAlive(stateDir) && (await ShimStateAsync(stateDir).ConfigureAwait(false))?.Status == ShimCreated)
            await _shims.AbandonAsync(stateDir).ConfigureAwait(false);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_shims.IsAlive(stateDir) && DateTime.UtcNow < deadline && !_shutdown.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(10, _shutdown.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Leaves "restarting" for "exited" (keeping the last exit code) and releases anyone waiting for the
    /// container to stop.</summary>
    private void MarkStoppedLocked(ContainerEntry entry)
    {
        var record = entry.Record;
        if (!record.State.Restarting) return;
        record.State.Restarting = false;
        record.State.Running = false;
        record.State.Pid = 0;
        record.State.Status = ContainerStatus.Exited;
        Persist(record);
        _store.TakeNextExitWaiter(entry).TrySetResult(new WaitResult(record.State.ExitCode));
    }

    /// <summary>A user's stop, kill or rm of a container waiting to be restarted: the restart is cancelled and the
    /// container is exited at once (there is no process to signal). True when it was restarting.</summary>
    private async Task<bool> StopIfRestartingAsync(ContainerEntry entry)
    {
        if (!entry.Record.State.Restarting) return false;
        Restarts.ExitOnNext(entry.Record.Id);
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var wasRestarting = entry.Record.State.Restarting;
            MarkStoppedLocked(entry);
            return wasRestarting;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>docker kill, as Docker decides it: the container counts as manually stopped, and a SIGKILL, the
    /// container's stop signal, or any signal when none is configured makes the coming exit final (no restart).
    /// Killing the process from outside the engine is not a user's kill: then policies apply.</summary>
    /// <remarks>The restart is cancelled at once (a back-off in progress ends before the gate is free); the flag is
    /// set with the gate held, as every change to the record, and published (the next commit writes it).</remarks>
    private async Task NoteUserKillAsync(ContainerEntry entry, int signal, CancellationToken ct)
    {
        var record = entry.Record;
        // Config is fixed at create: read without the gate.
        var stopSignal = string.IsNullOrEmpty(record.Config.StopSignal) ? (int?)null : ParseSignal(record.Config.StopSignal, SigTerm);
        if (signal == SigKill || stopSignal is null || stopSignal == signal) Restarts.ExitOnNext(record.Id);
        await entry.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (record.HasBeenManuallyStopped) return;
            record.HasBeenManuallyStopped = true;
            _store.Publish(record);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>A user's start or restart, with the gate held and the container not running: policies apply
    /// afresh, with a new back-off and RestartCount 0.</summary>
    private void ResetRestartPolicyLocked(ContainerEntry entry)
    {
        Restarts.Reset(entry.Record.Id);
        if (entry.Record.RestartCount == 0) return;
        entry.Record.RestartCount = 0;
        _store.Publish(entry.Record);
    }

    /// <summary>After a daemon start: containers that were stopped (or died while no daemon ran) and that their
    /// policy wants running are started again, as dockerd does: always (even if stopped by hand), unless-stopped
    /// unless stopped by hand, on-failure after a non-zero exit. Never-started containers stay created.</summary>
    private void StartContainersByPolicyAfterRestore()
    {
        foreach (var record in _store.List())
        {
            if (record.State.Running || !record.HasBeenStartedBefore || record.Host.AutoRemove) continue;
            if (!RestartPolicyDecider.ShouldRestart(record.Host.RestartPolicy, record.Host.RestartMaxRetries, record.RestartCount,
                    record.State.ExitCode, record.HasBeenManuallyStopped)) continue;
            StartByPolicyAsync(record.Id).Observe(_log, "start by restart policy", record.Id);
        }
    }

    private async Task StartByPolicyAsync(string id)
    {
        try
        {
            await StartAsync(id, _shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Recorded in State.Error by the start itself; the daemon keeps serving.
            ContainerLog.StartByPolicyFailed(_log, e, id);
        }
    }

    /// <summary>The restart bookkeeping of a removed container goes with it.</summary>
    private void ForgetRestartPolicy(ContainerRecord record) => Restarts.Forget(record.Id);
}
