namespace Wharf.Engine.Layers;

/// <summary>What a layer diff needs to know about one file, read without following symlinks.
/// <paramref name="Mode"/> is st_mode: file type bits and permission bits (incl. setuid/setgid/sticky).</summary>
public readonly record struct FileStat(uint Mode, int Uid, int Gid, long Size, ulong Inode, uint LinkCount,
    int RdevMajor, int RdevMinor, DateTimeOffset ModificationTime)
{
    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint Regular = 0x8000;
    public const uint Symlink = 0xA000;
    public const uint Socket = 0xC000;

    public uint Type => Mode & TypeMask;

    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == Directory;

    /// <summary>overlayfs marks a deleted name with a 0:0 character device.</summary>
    public bool IsOverlayWhiteout => Type == CharacterDevice && RdevMajor == 0 && RdevMinor == 0;
}
