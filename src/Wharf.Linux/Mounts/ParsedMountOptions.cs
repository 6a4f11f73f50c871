namespace Wharf.Linux.Mounts;

/// <summary>mount(8)-style options split into what mount(2) wants: flags for the mount call itself,
/// propagation flags (need their own call), and the filesystem data string ("lowerdir=..,upperdir=..").</summary>
internal sealed record ParsedMountOptions(MountFlags Flags, MountFlags Propagation, string? Data)
{
    public bool IsBind => (Flags & MountFlags.Bind) != 0;

    /// <summary>Flags a bind mount only honours on a second MS_REMOUNT|MS_BIND call.</summary>
    public MountFlags RemountFlags => Flags & ~(MountFlags.Bind | MountFlags.Recursive);
}
