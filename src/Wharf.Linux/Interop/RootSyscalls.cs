using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>A thread's own root: unshare(2) of CLONE_FS, fchdir(2), chroot(2).</summary>
internal static partial class RootSyscalls
{
    public const int CLONE_FS = 0x200;
    public const int O_PATH = 0x200000;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fchdir", SetLastError = true)]
    public static partial int Fchdir(int fd);

    [LibraryImport("libc", EntryPoint = "chroot", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chroot(string path);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
