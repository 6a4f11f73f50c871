using Wharf.Linux.Interop;

namespace Wharf.Linux.Files;

/// <summary>Ownership, special files, hard links and extended attributes, as layer extraction needs them.</summary>
public static class FileMetadata
{
    private const uint S_IFIFO = 0x1000;
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;

    /// <summary>Changes the owner of <paramref name="path"/> itself, never a symlink's target.</summary>
    public static void Lchown(string path, int uid, int gid) =>
        Errno.CheckIo(FileSyscalls.Lchown(path, (uint)uid, (uint)gid), "lchown", path);

    /// <summary>Creates a device node (type 'c' or 'b') or a fifo ('p') with the given permission bits.</summary>
    public static void Mknod(string path, char type, UnixFileMode permissions, int major, int minor)
    {
        var format = type switch
        {
            'c' => S_IFCHR,
            'b' => S_IFBLK,
            'p' => S_IFIFO,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "expected 'c', 'b' or 'p'"),
        };
        Errno.CheckIo(FileSyscalls.Mknod(path, format | ((uint)permissions & 0xFFF), MakeDev(major, minor)), "mknod", path);
        // mknod(2) applies the umask; the layer's mode must survive exactly.
        File.SetUnixFileMode(path, permissions);
    }

    /// <summary>glibc's makedev(3) encoding of a device number.</summary>
    public static ulong MakeDev(int major, int minor)
    {
        var ma = (ulong)(uint)major;
        var mi = (ulong)(uint)minor;
        return ((ma & 0xFFFFF000UL) << 32) | ((ma & 0xFFFUL) << 8) | ((mi & 0xFFFFFF00UL) << 12) | (mi & 0xFFUL);
    }

    /// <summary>A hard link <paramref name="newPath"/> to <paramref name="existingPath"/>.</summary>
    public static void Link(string existingPath, string newPath) =>
        Errno.CheckIo(FileSyscalls.Link(existingPath, newPath), "link", newPath);

    /// <summary>Sets one extended attribute on <paramref name="path"/> itself (not following symlinks).</summary>
    public static unsafe void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
            Errno.CheckIo(FileSyscalls.LSetXattr(path, name, p, (nuint)value.Length, 0), "lsetxattr", path);
    }
}
