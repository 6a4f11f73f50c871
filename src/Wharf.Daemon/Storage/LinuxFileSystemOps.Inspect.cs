using Wharf.Engine.Layers;
using Wharf.Linux.Files;

namespace Wharf.Daemon.Storage;

/// <summary>Reading metadata back for layer diffs (docker diff/commit/export/build), done by Wharf.Linux.</summary>
internal sealed partial class LinuxFileSystemOps : IFileInspector
{
    public FileStat? LStat(string path) =>
        FileInspection.LStat(path) is { } s
            ? new FileStat(s.Mode, s.Uid, s.Gid, s.Size, s.Inode, s.LinkCount, s.RdevMajor, s.RdevMinor,
                DateTimeOffset.FromUnixTimeSeconds(s.MtimeSeconds))
            : null;

    public IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path) => FileInspection.ListXattrs(path);

    public DirectoryPin? PinDirectory(string path) =>
        PinnedDirectory.Open(path) is { } pinned ? new DirectoryPin(pinned.Path, pinned) : null;
}
