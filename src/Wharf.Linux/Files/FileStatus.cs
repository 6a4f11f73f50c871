namespace Wharf.Linux.Files;

/// <summary>The lstat facts about one file that layer diffs need. <paramref name="Mode"/> is st_mode (type and
/// permission bits).</summary>
public readonly record struct FileStatus(uint Mode, int Uid, int Gid, long Size, ulong Inode, uint LinkCount,
    int RdevMajor, int RdevMinor, long MtimeSeconds, uint MtimeNanoseconds);
