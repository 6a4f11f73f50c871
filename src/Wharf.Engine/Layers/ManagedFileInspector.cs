namespace Wharf.Engine.Layers;

/// <summary>Fallback without syscalls: ownership reads as root, every file has its own inode and there are no
/// device numbers or xattrs, and a directory is not held open. Good enough for trees the daemon wrote itself (tests).</summary>
public sealed class ManagedFileInspector : IFileInspector
{
    public FileStat? LStat(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return new FileStat(FileStat.Symlink | 0x1FF, 0, 0, info.LinkTarget.Length, 0, 1, 0, 0, info.LastWriteTimeUtc);
        }
        if (Directory.Exists(path)) info = new DirectoryInfo(path);
        else if (!info.Exists) return null;
        var type = info is DirectoryInfo ? FileStat.Directory : FileStat.Regular;
        var size = info is FileInfo file ? file.Length : 0;
        return new FileStat(type | (uint)info.UnixFileMode, 0, 0, size, 0, 1, 0, 0, info.LastWriteTimeUtc);
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path) => [];

    /// <summary>Checks only (no descriptor without syscalls): the pin's path is the path itself.</summary>
    public DirectoryPin? PinDirectory(string path) =>
        new DirectoryInfo(path) is { Exists: true, LinkTarget: null } ? new DirectoryPin(path) : null;
}
