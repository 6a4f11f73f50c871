using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>kill(2) and the sigset helpers posix_spawn attributes need.</summary>
internal static unsafe partial class SignalSyscalls
{
    /// <summary>glibc's sigset_t is 1024 bits.</summary>
    public const int SigSetSize = 128;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    public static partial int SigFillSet(void* set);
}
