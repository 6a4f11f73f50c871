using System.Collections.Concurrent;

namespace Wharf.Engine.Containers.Restart;

/// <summary>Per-container restart bookkeeping that lives only in memory, as Docker's restart manager does: the
/// back-off, the pending delay before the next start, and "exit on next" (set by a user's stop or kill, so the
/// coming exit is final). A user's start resets it.</summary>
public sealed class RestartSupervisor(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Tracker> _trackers = new(StringComparer.Ordinal);

    /// <summary>Called when a run ended: the delay before starting again, or null when it must stay stopped.</summary>
    public TimeSpan? OnExit(string id, string policy, int maximumRetryCount, int restartCount, int exitCode, bool manuallyStopped, TimeSpan ranFor)
    {
        var tracker = TrackerOf(id);
        lock (tracker)
        {
            if (tracker.ExitOnNext) return null;
            // Like Docker, the back-off advances at every exit, even one that does not restart.
            var delay = tracker.Backoff.Next(ranFor);
            return RestartPolicyDecider.ShouldRestart(policy, maximumRetryCount, restartCount, exitCode, manuallyStopped) ? delay : null;
        }
    }

    /// <summary>Waits out the back-off. False when it was cancelled (stop, kill, rm -f, daemon shutdown).</summary>
    public async Task<bool> WaitAsync(string id, TimeSpan delay, CancellationToken shutdown)
    {
        var tracker = TrackerOf(id);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        lock (tracker)
        {
            if (tracker.ExitOnNext) return false;
            tracker.Pending = cancel;
        }
        try
        {
            await Task.Delay(delay, time, cancel.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            lock (tracker)
            {
                if (ReferenceEquals(tracker.Pending, cancel)) tracker.Pending = null;
            }
        }
    }

    /// <summary>True while a restart is scheduled and not yet started.</summary>
    public bool IsWaiting(string id) => _trackers.TryGetValue(id, out var tracker) && tracker.Pending is not null;

    /// <summary>The user stopped or killed the container: its next exit is final and a pending restart is off.</summary>
    public void ExitOnNext(string id)
    {
        var tracker = TrackerOf(id);
        lock (tracker)
        {
            tracker.ExitOnNext = true;
            tracker.Pending?.Cancel();
        }
    }

    /// <summary>The user started the container: policies apply again, with a fresh back-off.</summary>
    public void Reset(string id)
    {
        var tracker = TrackerOf(id);
        lock (tracker)
        {
            tracker.ExitOnNext = false;
            tracker.Backoff.Reset();
        }
    }

    public void Forget(string id)
    {
        if (_trackers.TryRemove(id, out var tracker))
        {
            lock (tracker) tracker.Pending?.Cancel();
        }
    }

    private Tracker TrackerOf(string id) => _trackers.GetOrAdd(id, _ => new Tracker());

    private sealed class Tracker
    {
        public RestartBackoff Backoff { get; } = new();
        public bool ExitOnNext { get; set; }
        public CancellationTokenSource? Pending { get; set; }
    }
}
