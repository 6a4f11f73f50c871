namespace Wharf.Linux.Mounts;

/// <summary>Maps mount(8) option words to MS_* flags; anything it does not know (key=value or not) goes
/// to the filesystem as data, in order.</summary>
internal static class MountOptionParser
{
    // word -> (clear this flag?, flag). "rw" clears MS_RDONLY etc.
    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> FlagWords = new(StringComparer.Ordinal)
    {
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["suid"] = (true, MountFlags.NoSuid),
        ["nodev"] = (false, MountFlags.NoDev),
        ["dev"] = (true, MountFlags.NoDev),
        ["noexec"] = (false, MountFlags.NoExec),
        ["exec"] = (true, MountFlags.NoExec),
        ["sync"] = (false, MountFlags.Synchronous),
        ["async"] = (true, MountFlags.Synchronous),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["mand"] = (false, MountFlags.Mandlock),
        ["nomand"] = (true, MountFlags.Mandlock),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["atime"] = (true, MountFlags.NoAtime),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["bind"] = (false, MountFlags.Bind),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Recursive),
        ["remount"] = (false, MountFlags.Remount),
        ["defaults"] = (true, MountFlags.None),
    };

    private static readonly Dictionary<string, MountFlags> PropagationWords = new(StringComparer.Ordinal)
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Recursive,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Recursive,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Recursive,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Recursive,
    };

    public static ParsedMountOptions Parse(string type, IEnumerable<string> options)
    {
        var flags = MountFlags.None;
        var propagation = MountFlags.None;
        var data = new List<string>();
        foreach (var option in options)
        {
            if (string.IsNullOrEmpty(option))
                continue;
            if (FlagWords.TryGetValue(option, out var word))
            {
                flags = word.Clear ? flags & ~word.Flag : flags | word.Flag;
            }
            else if (PropagationWords.TryGetValue(option, out var p))
            {
                propagation = p;
            }
            else
            {
                data.Add(option);
            }
        }
        // A mount whose type is "bind" is a bind mount even if the options forgot to say so.
        if (type == "bind")
            flags |= MountFlags.Bind;
        return new ParsedMountOptions(flags, propagation, data.Count == 0 ? null : string.Join(',', data));
    }
}
