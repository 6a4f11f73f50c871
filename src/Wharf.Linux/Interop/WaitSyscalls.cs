using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>waitpid(2).</summary>
internal static partial class WaitSyscalls
{
    public const int WNOHANG = 1;

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);
}
