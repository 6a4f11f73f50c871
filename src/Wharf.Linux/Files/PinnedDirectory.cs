using System.Globalization;
using Wharf.Linux.Interop;

namespace Wharf.Linux.Files;

/// <summary>A directory held by a descriptor opened without following a final symlink. While it is open,
/// <see cref="Path"/> (/proc/self/fd/N) names that very directory: a lookup of "Path/name" resolves only "name", in
/// it, so a walk that descends through pins is never redirected by a directory swapped for a symlink under it —
/// the swapped name no longer opens as a directory (O_NOFOLLOW), and an lstat of it sees the link, not its target.</summary>
public sealed class PinnedDirectory : IDisposable
{
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;
    private int _fd;

    private PinnedDirectory(int fd)
    {
        _fd = fd;
        Path = "/proc/self/fd/" + fd.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Names the pinned directory for as long as this is not disposed.</summary>
    public string Path { get; }

    /// <summary>Pins the directory at <paramref name="path"/>; null when nothing is there or it is not a directory
    /// (a symlink to one included).</summary>
    public static PinnedDirectory? Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = RootSyscalls.Open(path, RootSyscalls.O_PATH | RootSyscalls.O_DIRECTORY | RootSyscalls.O_NOFOLLOW | RootSyscalls.O_CLOEXEC);
        if (fd >= 0) return new PinnedDirectory(fd);
        var errno = Errno.Last;
        if (errno is Errno.ENOENT or ENOTDIR or ELOOP) return null;
        throw new SyscallException("open", path, errno);
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) RootSyscalls.Close(fd);
    }
}
