namespace Wharf.Core.Host;

/// <summary>Starts long-lived helper processes (the per-container shim) detached from the caller:
/// own session, stdio on /dev/null or a log file, never forking the managed process.</summary>
public interface IProcessSpawner
{
    /// <summary>Spawns <paramref name="path"/> with <paramref name="args"/> in a new session; returns its pid.</summary>
    int SpawnDetached(string path, IReadOnlyList<string> args, string? logFile);
}
