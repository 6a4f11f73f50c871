namespace Wharf.Engine.Containers.Archive;

/// <summary>What X-Docker-Container-Path-Stat carries: base name, size, Go os.FileMode bits, mtime and, for a
/// symlink, the container path it resolves to.</summary>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    private const uint GoModeDir = 1u << 31;
    private const uint GoModeSymlink = 1u << 27;
    private const uint GoModeSetuid = 1u << 23;
    private const uint GoModeSetgid = 1u << 22;
    private const uint GoModeSticky = 1u << 20;

    public bool IsDirectory => (Mode & GoModeDir) != 0;

    /// <summary>Go's FileMode from the permission bits and the kind of file.</summary>
    public static uint GoMode(UnixFileMode mode, bool directory, bool symlink)
    {
        var bits = (uint)mode & 0x1FF;
        if ((mode & UnixFileMode.SetUser) != 0) bits |= GoModeSetuid;
        if ((mode & UnixFileMode.SetGroup) != 0) bits |= GoModeSetgid;
        if ((mode & UnixFileMode.StickyBit) != 0) bits |= GoModeSticky;
        if (symlink) bits |= GoModeSymlink;
        else if (directory) bits |= GoModeDir;
        return bits;
    }
}
