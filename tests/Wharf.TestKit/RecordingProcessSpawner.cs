using Wharf.Core.Host;

namespace Wharf.TestKit;

/// <summary>IProcessSpawner that starts nothing: records each request and returns a made-up pid, or fails.</summary>
public sealed class RecordingProcessSpawner : IProcessSpawner
{
    public List<(string Path, IReadOnlyList<string> Args, string? LogFile)> Spawned { get; } = [];
    public Exception? FailWith { get; set; }

    public int SpawnDetached(string path, IReadOnlyList<string> args, string? logFile)
    {
        if (FailWith is not null) throw FailWith;
        Spawned.Add((path, args, logFile));
        return 100_000 + Spawned.Count;
    }

    /// <summary>The pids sent SIGKILL, in order.</summary>
    public List<int> Killed { get; } = [];

    /// <summary>What <see cref="ListProcesses"/> answers (a test puts leftovers of a crashed daemon here).</summary>
    public List<RunningProcess> Running { get; } = [];

    public void Kill(int pid)
    {
        Killed.Add(pid);
        Running.RemoveAll(p => p.Pid == pid);
    }

    public IReadOnlyList<RunningProcess> ListProcesses() => [.. Running];
}
