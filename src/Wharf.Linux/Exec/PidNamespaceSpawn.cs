using Wharf.Linux.Interop;

namespace Wharf.Linux.Exec;

/// <summary>Starts a child inside another pid namespace without touching the caller's threads: setns(CLONE_NEWPID)
/// only changes the calling thread's pid_ns_for_children (its own pid namespace never changes, and it cannot go back),
/// so a dedicated thread joins, spawns (posix_spawn's clone without CLONE_THREAD is allowed into another pid
/// namespace, unlike a new thread), and ends. The spawn callback runs on that thread; its result (the host pid) is
/// returned.</summary>
public static unsafe class PidNamespaceSpawn
{
    public static int Run(string pidNamespacePath, Func<int> spawn)
    {
        ArgumentNullException.ThrowIfNull(pidNamespacePath);
        ArgumentNullException.ThrowIfNull(spawn);
        var pid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var path = System.Text.Encoding.UTF8.GetBytes(pidNamespacePath + "\0");
                int fd;
                fixed (byte* p = path)
                    fd = ExecSyscalls.Open(p, FdSyscalls.O_RDONLY | FdSyscalls.O_CLOEXEC, 0);
                Errno.CheckIo(fd, "open", pidNamespacePath);
                try
                {
                    Errno.CheckIo(ExecSyscalls.SetNs(fd, ExecSyscalls.CLONE_NEWPID), "setns", pidNamespacePath);
                }
                finally
                {
                    FdSyscalls.Close(fd);
                }
                pid = spawn();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, maxStackSize: 256 * 1024) { IsBackground = true, Name = "pidns-spawn" };
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure is IOException ? failure : new IOException(failure.Message, failure);
        return pid;
    }
}
