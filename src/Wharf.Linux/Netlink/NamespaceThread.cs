using Wharf.Linux.Interop;

namespace Wharf.Linux.Netlink;

/// <summary>Runs work inside another network namespace. setns(2) and unshare(2) change only the calling thread, so
/// the work runs on a dedicated OS thread that ends afterwards: no pool thread is ever left in a foreign namespace.</summary>
internal static class NamespaceThread
{
    /// <summary>Runs <paramref name="work"/> inside the namespace pinned at <paramref name="namespacePath"/>.</summary>
    public static T Run<T>(string namespacePath, Func<T> work) => OnOwnThread(() =>
    {
        var fd = Errno.CheckIo(NetlinkSyscalls.Open(namespacePath, FdSyscalls.O_RDONLY | FdSyscalls.O_CLOEXEC), "open", namespacePath);
        try
        {
            Errno.CheckIo(NetlinkSyscalls.SetNs(fd, NetlinkSyscalls.CLONE_NEWNET), "setns", namespacePath);
        }
        finally
        {
            FdSyscalls.Close(fd);
        }
        return work();
    });

    /// <summary>Runs <paramref name="work"/> in a fresh network namespace (the thread unshares first).</summary>
    public static T RunInNewNamespace<T>(Func<T> work) => OnOwnThread(() =>
    {
        Errno.CheckIo(NetlinkSyscalls.Unshare(NetlinkSyscalls.CLONE_NEWNET), "unshare(CLONE_NEWNET)");
        return work();
    });

    private static T OnOwnThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = e; }
        }, 256 * 1024) { IsBackground = true, Name = "wharf-netns" };
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return result;
    }
}
