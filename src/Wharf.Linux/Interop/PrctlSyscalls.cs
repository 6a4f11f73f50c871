using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>prctl(2).</summary>
internal static partial class PrctlSyscalls
{
    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
