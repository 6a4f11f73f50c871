using System.Buffers.Binary;
using System.Text;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Files;

/// <summary>Reads file metadata without following symlinks: statx and the extended attributes.</summary>
public static class FileInspection
{
    private const int StatxBufferSize = 256;

    /// <summary>lstat-like; null when nothing is at <paramref name="path"/>.</summary>
    public static unsafe FileStatus? LStat(string path)
    {
        var buffer = stackalloc byte[StatxBufferSize];
        if (StatSyscalls.Statx(StatSyscalls.AtFdCwd, path, StatSyscalls.AtSymlinkNoFollow, StatSyscalls.StatxBasicStats, buffer) == -1)
        {
            var errno = Errno.Last;
            if (errno is Errno.ENOENT or 20 /* ENOTDIR */) return null;
            throw new SyscallException("statx", path, errno);
        }
        var span = new ReadOnlySpan<byte>(buffer, StatxBufferSize);
        // struct statx offsets (include/uapi/linux/stat.h).
        return new FileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(span[28..]),
            Uid: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            Gid: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(span[40..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[32..]),
            LinkCount: BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            RdevMajor: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[128..]),
            RdevMinor: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[132..]),
            MtimeSeconds: BinaryPrimitives.ReadInt64LittleEndian(span[112..]),
            MtimeNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(span[120..]));
    }

    /// <summary>Every extended attribute of <paramref name="path"/> itself, by name. Empty where the file system
    /// has none or does not support them.</summary>
    public static unsafe IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path)
    {
        var size = StatSyscalls.LListXattr(path, null, 0);
        if (size <= 0)
        {
            if (size == -1 && Errno.Last is not (StatSyscalls.ENOTSUP or Errno.ENOENT)) throw new SyscallException("llistxattr", path, Errno.Last);
            return [];
        }
        var names = new byte[size];
        fixed (byte* p = names)
        {
            size = StatSyscalls.LListXattr(path, p, (nuint)names.Length);
        }
        if (size < 0) throw new SyscallException("llistxattr", path, Errno.Last);
        var result = new List<KeyValuePair<string, byte[]>>();
        foreach (var name in Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (GetXattr(path, name) is { } value) result.Add(new(name, value));
        }
        return result;
    }

    /// <summary>One extended attribute, or null when it is not set.</summary>
    public static unsafe byte[]? GetXattr(string path, string name)
    {
        var size = StatSyscalls.LGetXattr(path, name, null, 0);
        if (size < 0)
        {
            if (Errno.Last is StatSyscalls.ENODATA or StatSyscalls.ENOTSUP or Errno.ENOENT) return null;
            throw new SyscallException("lgetxattr", path, Errno.Last);
        }
        var value = new byte[size];
        if (size == 0) return value;
        fixed (byte* p = value)
        {
            size = StatSyscalls.LGetXattr(path, name, p, (nuint)value.Length);
        }
        if (size < 0) throw new SyscallException("lgetxattr", path, Errno.Last);
        return value[..(int)size];
    }
}
