using Wharf.Linux;

namespace Wharf.Shim;

/// <summary>The only place in the shim that calls waitpid. One dedicated thread reaps EVERY child with
/// waitpid(-1): runc invocations we spawn and the container init that is reparented to us (we are a
/// subreaper). Statuses nobody asked for yet are kept, so a container that exits before we even learn
/// its pid (runc writes init.pid only just before it exits) is never lost.</summary>
internal sealed class ChildReaper
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

    /// <summary>Spawns a child and tells the reaper loop there is something to wait for.</summary>
    public int Spawn(SpawnRequest request)
    {
        var pid = PosixSpawner.Spawn(request);
        _childAdded.Set();
        return pid;
    }

    /// <summary>Completes with the raw wait status of <paramref name="pid"/> once it has been reaped.</summary>
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

    /// <summary>Spawns and waits; returns the shell-style exit code.</summary>
    public async Task<int> RunAsync(SpawnRequest request)
    {
        var pid = Spawn(request);
        return ProcessControl.ExitCodeFromWaitStatus(await WaitAsync(pid).ConfigureAwait(false));
    }

    private void Loop()
    {
        while (true)
        {
            if (!ProcessControl.TryWaitAny(out var pid, out var status))
            {
                // No children right now; a reparented orphan always has a living ancestor among our
                // children, so polling slowly here cannot miss one.
                _childAdded.WaitOne(100);
                continue;
            }
            TaskCompletionSource<int>? waiter;
            lock (_gate)
            {
                if (!_waiters.Remove(pid, out waiter))
                    _unclaimed[pid] = status;
            }
            waiter?.TrySetResult(status);
        }
    }
}
