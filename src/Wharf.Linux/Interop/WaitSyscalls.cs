using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>waitpid(2) and waitid(2).</summary>
internal static unsafe partial class WaitSyscalls
{
    public const int WNOHANG = 1;
    public const int WEXITED = 4;
    /// <summary>waitid: report the exited child but leave it a zombie (its pid stays taken until reaped).</summary>
    public const int WNOWAIT = 0x01000000;
    public const int P_ALL = 0;

    /// <summary>sizeof(siginfo_t) on Linux.</summary>
    public const int SigInfoSize = 128;

    /// <summary>Offset of si_pid in siginfo_t on 64-bit Linux (si_signo, si_errno, si_code, padding, then the union).</summary>
    public const int SigInfoPidOffset = 16;

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    public static partial int WaitId(int idType, int id, byte* info, int options);
}
