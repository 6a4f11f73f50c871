using Wharf.Core.Host;

namespace Wharf.Linux;

/// <summary>Starts the per-container shim detached from the daemon (new session, stdio on /dev/null or a log
/// file) with posix_spawn.
/// Reaping: the shim is our direct child, so when it exits it would stay a zombie until we waitpid() it.
/// We did not double-spawn (that needs a helper binary, or a shell, to exit in the middle); instead each
/// spawned pid gets a tiny background thread blocked in waitpid(pid) that reaps it the moment it exits.
/// .NET's own SIGCHLD handling only ever waits on pids started by System.Diagnostics.Process, so there is
/// no race with it. If the daemon itself dies first, the shim is reparented to init, which reaps it.</summary>
public sealed class LinuxProcessSpawner : IProcessSpawner
{
    public int SpawnDetached(string path, IReadOnlyList<string> args, string? logFile)
    {
        var pid = PosixSpawner.Spawn(new SpawnRequest { Path = path, Args = args, OutputFile = logFile, NewSession = true });
        var reaper = new Thread(() => ProcessControl.WaitFor(pid, out _), maxStackSize: 64 * 1024)
        {
            IsBackground = true,
            Name = $"reap-{pid}",
        };
        reaper.Start();
        return pid;
    }

    public void Kill(int pid) => ProcessControl.SendSignal(pid, 9);

    public IReadOnlyList<RunningProcess> ListProcesses() => ProcessTable.List();

    /// <summary>Non-blocking reap of <paramref name="pid"/> (for children not started by <see cref="SpawnDetached"/>,
    /// which reaps its own). True with the raw wait status when it had exited.</summary>
    public static bool TryReap(int pid, out int exitStatus) => ProcessControl.TryReap(pid, out exitStatus);
}
