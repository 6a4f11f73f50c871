namespace Wharf.Linux.Mounts;

/// <summary>One line of /proc/self/mountinfo (the fields we use).</summary>
public sealed record MountInfoEntry(int MountId, int ParentId, string Root, string MountPoint, string FileSystemType, string Source, string Options);
