using Microsoft.Win32.SafeHandles;
using Wharf.Linux.Interop;

namespace Wharf.Linux;

/// <summary>pipe2(O_CLOEXEC): both ends are invisible to spawned children unless handed over explicitly.</summary>
public static unsafe class UnixPipe
{
    public static (SafeFileHandle Read, SafeFileHandle Write) Create()
    {
        var fds = stackalloc int[2];
        Errno.CheckIo(FdSyscalls.Pipe2(fds, FdSyscalls.O_CLOEXEC), "pipe2");
        return (new SafeFileHandle(fds[0], ownsHandle: true), new SafeFileHandle(fds[1], ownsHandle: true));
    }
}
