using Wharf.Core.Shim;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker wait. The caller (API) sends response headers before awaiting this: the CLI sends
    /// wait before start and blocks until the headers arrive.</summary>
    public Task<WaitResult> WaitAsync(string nameOrId, WaitCondition condition, CancellationToken ct)
    {
        var entry = Find(nameOrId);
        lock (_gate)
        {
            return condition switch
            {
                WaitCondition.Removed => entry.Removed.Task.WaitAsync(ct),
                WaitCondition.NextExit => entry.NextExit.Task.WaitAsync(ct),
                _ when !entry.Record.State.Running => Task.FromResult(new WaitResult(entry.Record.State.ExitCode)),
                _ => entry.NextExit.Task.WaitAsync(ct),
            };
        }
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
            // The shim vanished without answering: trust its exit file if it wrote one.
        }
        if (_shutdown.IsCancellationRequested) return;
        await OnExitedAsync(entry, exit ?? ReadExitFile(entry.Record)).ConfigureAwait(false);
    }

    private ShimResponse ReadExitFile(ContainerRecord record)
    {
        if (_shims.ReadExitFile(PathsOf(record).StateDir) is { } exit)
            return new ShimResponse { Ok = true, ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, OomKilled = exit.OomKilled };
        // No shim and no exit file (e.g. the host rebooted): Docker reports such containers as exited with 255.
        return new ShimResponse { Ok = false, ExitCode = 255, FinishedAt = _time.GetUtcNow(), Error = "container's supervisor is gone" };
    }

    private async Task OnExitedAsync(ContainerEntry entry, ShimResponse exit)
    {
        var record = entry.Record;
        TaskCompletionSource<WaitResult> exitWaiter;
        TimeSpan? restartDelay = null;
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (record.State.Running)
            {
                StopHealthMonitor(record, markUnhealthy: true);
                record.State.Paused = false;
                record.State.Pid = 0;
                record.State.ExitCode = exit.ExitCode;
                record.State.OomKilled = exit.OomKilled;
                record.State.FinishedAt = exit.FinishedAt ?? _time.GetUtcNow();
                // Decided before the status changes, so that ps and inspect (which read without the gate) go
                // straight from "running" to "restarting" and never see a restarting container as "exited".
                restartDelay = DecideRestartLocked(entry, exit.ExitCode);
                if (restartDelay is null)
                {
                    record.State.Running = false;
                    record.State.Status = ContainerStatus.Exited;
                    Persist(record);
                }
                if (exit.OomKilled) Publish(record, "oom");
                Publish(record, "die", ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            // Waits sent before this exit (even before the start: the CLI does that) complete now; later ones
            // wait for the next run.
            lock (_gate)
            {
                exitWaiter = entry.NextExit;
                entry.NextExit = NewWaiter<WaitResult>();
            }
            // The shim unmounts the rootfs itself; doing it again is harmless and covers a crashed shim.
            _mounts.Unmount(PathsOf(record).RootfsMount);
            ReleaseVolumes(record);
            ReleaseNetwork(record);
        }
        finally
        {
            entry.Gate.Release();
        }
        exitWaiter.TrySetResult(new WaitResult(exit.ExitCode));
        if (restartDelay is { } delay)
        {
            _ = RestartAfterBackoffAsync(entry, delay);
            return;
        }
        if (record.Host.AutoRemove)
        {
            await RemoveAsync(record.Id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
