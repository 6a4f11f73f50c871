using Wharf.Linux;

namespace Wharf.Shim;

/// <summary>The only place in the shim that calls waitpid. One dedicated thread reaps EVERY child: runc invocations
/// we spawn and the container init that is reparented to us (we are a subreaper). Statuses nobody asked for yet are
/// kept, so a container that exits before we even learn its pid (runc writes init.pid only just before it exits)
/// is never lost.
/// Pid reuse: the loop first learns which child exited without reaping it (waitid WNOWAIT; the zombie still holds
/// its pid), then, under the same lock <see cref="TrySignal"/> takes, reaps it and removes its waiter. So a signal is
/// sent either before the reap (to our zombie at worst, which is harmless) or not at all.</summary>
internal sealed class ChildReaper : IChildProcesses
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _unclaimed = [];
    private readonly Dictionary<int, TaskCompletionSource<int>> _waiters = [];
    private readonly AutoResetEvent _childAdded = new(false);

    public void Start()
    {
        var thread = new Thread(Loop, maxStackSize: 256 * 1024) { IsBackground = true, Name = "reaper" };
        thread.Start();
    }

    public int Spawn(SpawnRequest request)
    {
        var pid = PosixSpawner.Spawn(request);
        _childAdded.Set();
        return pid;
    }

    public Task<int> WaitAsync(int pid)
    {
        lock (_gate)
        {
            if (_unclaimed.Remove(pid, out var status))
                return Task.FromResult(status);
            if (!_waiters.TryGetValue(pid, out var tcs))
            {
                tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[pid] = tcs;
            }
            return tcs.Task;
        }
    }

    public async Task<int> RunAsync(SpawnRequest request)
    {
        var pid = Spawn(request);
        return ProcessControl.ExitCodeFromWaitStatus(await WaitAsync(pid).ConfigureAwait(false));
    }

    public bool TrySignal(int pid, int signal)
    {
        if (pid <= 0)
            return false;
        lock (_gate)
        {
            // Only a pid somebody still waits for is known to be unreaped; the reap happens under this lock.
            if (!_waiters.ContainsKey(pid))
                return false;
            return ProcessControl.SendSignal(pid, signal);
        }
    }

    private void Loop()
    {
        while (true)
        {
            if (!ProcessControl.TryPeekExitedChild(out var pid))
            {
                // No children right now; a reparented orphan always has a living ancestor among our
                // children, so polling slowly here cannot miss one.
                _childAdded.WaitOne(100);
                continue;
            }
            TaskCompletionSource<int>? waiter;
            int status;
            lock (_gate)
            {
                if (!ProcessControl.TryReap(pid, out status))
                    continue; // cannot happen: we are the only reaper and it has exited
                if (!_waiters.Remove(pid, out waiter))
                    _unclaimed[pid] = status;
            }
            waiter?.TrySetResult(status);
        }
    }
}
