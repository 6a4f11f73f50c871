using System.Runtime.InteropServices;

namespace Wharf.Linux.Interop;

/// <summary>mount(2) and umount2(2).</summary>
internal static partial class MountSyscalls
{
    public const int MNT_DETACH = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string? source, string target, string? fsType, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);
}

/// <summary>The mount API of Linux 5.2+ (glibc 2.36 wraps it): a mount made from a descriptor and attached to a
/// descriptor, so no path is resolved between finding the place and mounting there.</summary>
internal static unsafe partial class MountApiSyscalls
{
    public const int AT_FDCWD = -100;
    public const uint OPEN_TREE_CLONE = 1;
    public const uint OPEN_TREE_CLOEXEC = 0x80000;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint AT_EMPTY_PATH = 0x1000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public const uint MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    public const ulong MOUNT_ATTR_RDONLY = 0x1;
    public const ulong MS_PRIVATE = 1 << 18;

    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClear;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport("libc", EntryPoint = "open_tree", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenTree(int dirFd, string path, uint flags);

    [LibraryImport("libc", EntryPoint = "move_mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MoveMount(int fromDirFd, string fromPath, int toDirFd, string toPath, uint flags);

    [LibraryImport("libc", EntryPoint = "mount_setattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MountSetattr(int dirFd, string path, uint flags, MountAttr* attr, nuint size);
}
