using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>Sessions and process identity: setsid(2), getsid(2), getpid(2).</summary>
internal static partial class SessionSyscalls
{
    [LibraryImport("libc", EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();

    [LibraryImport("libc", EntryPoint = "getsid", SetLastError = true)]
    public static partial int GetSid(int pid);

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();
}
