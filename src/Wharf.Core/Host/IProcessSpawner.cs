namespace Wharf.Core.Host;

/// <summary>Starts long-lived helper processes (the per-container shim) detached from the caller:
/// own session, stdio on /dev/null or a log file, never forking the managed process.</summary>
public interface IProcessSpawner
{
    /// <summary>Spawns <paramref name="path"/> with <paramref name="args"/> in a new session; returns its pid.</summary>
    int SpawnDetached(string path, IReadOnlyList<string> args, string? logFile);

    /// <summary>SIGKILL to <paramref name="pid"/> (a helper this daemon, or one before it, spawned). Gone is not an error.</summary>
    void Kill(int pid);

    /// <summary>Every live process of the host with its command line (for finding helpers a crashed daemon left).</summary>
    IReadOnlyList<RunningProcess> ListProcesses();
}
