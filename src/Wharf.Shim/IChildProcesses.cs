using Wharf.Linux;

namespace Wharf.Shim;

/// <summary>The shim's children (runc invocations) and the processes reparented to it (container init, exec'd
/// processes): spawning, learning their exit, signalling them. <see cref="ChildReaper"/> is the real one; tests
/// use a fake, since the state machine, not the kernel, is what they check.</summary>
internal interface IChildProcesses
{
    /// <summary>Spawns a child; its exit is reported by <see cref="WaitAsync"/>.</summary>
    int Spawn(SpawnRequest request);

    /// <summary>Completes with the raw wait status of <paramref name="pid"/> once it has been reaped. Call it as soon
    /// as the pid is known: a pid with a pending waiter is one <see cref="TrySignal"/> may signal.</summary>
    Task<int> WaitAsync(int pid);

    /// <summary>Spawns and waits; returns the shell-style exit code.</summary>
    Task<int> RunAsync(SpawnRequest request);

    /// <summary>Signals <paramref name="pid"/> only while it is still ours and unreaped: someone waits for it and
    /// the reaper has not taken its status. A reaped pid may already belong to an unrelated process, so it is never
    /// signalled. False when nothing was sent.</summary>
    bool TrySignal(int pid, int signal);
}
