using System.Buffers.Binary;
using Wharf.Core.Host;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Files;

/// <summary>Reads a file of a root a container can change, through a descriptor: the object is found once with
/// O_PATH (which neither blocks on a FIFO nor runs a device's open), its type and size are checked on that
/// descriptor, and only a regular file is then opened for reading — that very object, reopened through
/// /proc/self/fd, never its name again. A name swapped for something else in between changes nothing.</summary>
internal static class PinnedFile
{
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

    /// <summary>An O_PATH descriptor for <paramref name="path"/> (links followed, as the calling thread's root
    /// resolves them), or -1 when nothing is there.</summary>
    public static int OpenPath(string path)
    {
        var fd = RootSyscalls.Open(path, RootSyscalls.O_PATH | RootSyscalls.O_CLOEXEC);
        if (fd >= 0) return fd;
        var errno = Errno.Last;
        if (errno is Errno.ENOENT or ENOTDIR or ELOOP) return -1;
        throw new SyscallException("open", path, errno);
    }

    /// <summary>The content of the regular file behind <paramref name="pathFd"/> if it holds at most
    /// <paramref name="maxBytes"/>; otherwise only what it is.</summary>
    public static unsafe RootFile Read(int pathFd, int maxBytes, string shownPath)
    {
        var buffer = stackalloc byte[256];
        if (StatSyscalls.Statx(pathFd, "", AtEmptyPath | StatSyscalls.AtSymlinkNoFollow, StatxType | StatxSize, buffer) == -1)
            throw new SyscallException("statx", shownPath, Errno.Last);
        var stat = new ReadOnlySpan<byte>(buffer, 256);
        // struct statx: stx_mode at 28, stx_size at 40.
        if ((BinaryPrimitives.ReadUInt16LittleEndian(stat[28..]) & TypeMask) != Regular) return RootFile.NotRegular;
        var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(stat[40..]);
        if (size > maxBytes) return RootFile.TooLarge;

        // O_NONBLOCK and O_NOCTTY change nothing for the regular file this is; they are a second guard.
        var fd = Errno.CheckIo(RootSyscalls.Open($"/proc/self/fd/{pathFd}",
            RootSyscalls.O_RDONLY | RootSyscalls.O_NONBLOCK | RootSyscalls.O_NOCTTY | RootSyscalls.O_CLOEXEC), "open", shownPath);
        try
        {
            // The file may grow after the stat: read at most one byte past the bound to notice.
            var content = new byte[(int)Math.Min(size, maxBytes) + 1];
            var total = 0;
            while (true)
            {
                if (total == content.Length)
                {
                    if (content.Length > maxBytes) return RootFile.TooLarge;
                    Array.Resize(ref content, (int)Math.Min((long)content.Length * 2, (long)maxBytes + 1));
                }
                nint read;
                fixed (byte* p = &content[total])
                {
                    read = RootSyscalls.Read(fd, p, (nuint)(content.Length - total));
                }
                if (read == 0) break;
                if (read < 0)
                {
                    if (Errno.Last == Errno.EINTR) continue;
                    throw new SyscallException("read", shownPath, Errno.Last);
                }
                total += (int)read;
            }
            return total > maxBytes ? RootFile.TooLarge : new RootFile(RootFileState.Regular, content[..total]);
        }
        finally
        {
            RootSyscalls.Close(fd);
        }
    }
}
