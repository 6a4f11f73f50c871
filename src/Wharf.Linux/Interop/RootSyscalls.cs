using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>A thread's own root: unshare(2) of CLONE_FS, fchdir(2), chroot(2); open(2) and read(2) of what is found
/// in it.</summary>
internal static unsafe partial class RootSyscalls
{
    public const int CLONE_FS = 0x200;
    public const int O_RDONLY = 0;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_PATH = 0x200000;
    public const int O_CLOEXEC = 0x80000;

    /// <summary>O_DIRECTORY and O_NOFOLLOW are among the few open flags whose values differ by architecture
    /// (asm-generic's on arm64, the historical ones on x86-64).</summary>
    public static readonly int O_DIRECTORY = IsArm ? 0x4000 : 0x10000;

    /// <inheritdoc cref="O_DIRECTORY"/>
    public static readonly int O_NOFOLLOW = IsArm ? 0x8000 : 0x20000;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

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

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);
}
