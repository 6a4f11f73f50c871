namespace Wharf.Core.Host;

/// <summary>Runs file work with a directory as its root, so that every path the work uses — every "..", every
/// symlink, absolute or relative, however a running container swaps them while the work runs — resolves inside
/// that directory, by the kernel, at each use. The daemon reads and writes inside container roots a container can
/// change under it (docker cp both ways, export); a path checked once and used later as a string is a way out
/// (CVE-2018-15664). Implemented by Wharf.Linux; faked in tests.</summary>
public interface IRootConfinement
{
    /// <summary>Runs <paramref name="work"/> confined to <paramref name="root"/> (a trusted host path: the
    /// container's /proc/&lt;pid&gt;/root or a mount of ours). The work receives the path by which the root is
    /// reached from inside ("/" when truly confined) and must do all its file work synchronously on the calling
    /// thread, through paths under that one.</summary>
    Task<T> RunAsync<T>(string root, Func<string, T> work);

    /// <summary>Bind-mounts what <paramref name="path"/> names inside <paramref name="root"/> (resolved there, as
    /// <see cref="RunAsync"/> resolves) onto <paramref name="target"/>, made a directory or an empty file to match.
    /// The mount is of the object found, not of a path resolved again later: a volume sub-path another container
    /// swaps for a symlink cannot turn into a host directory between the check and runc's mount.</summary>
    Task BindAsync(string root, string path, string target);

    /// <summary>Mounts the host directory or file <paramref name="source"/> (recursively, private, read-only if asked)
    /// onto what <paramref name="path"/> names inside <paramref name="root"/>, resolved there as <see cref="RunAsync"/>
    /// resolves and made a directory or an empty file to match the source when missing. The mount is attached to the
    /// object found, never to a path resolved again: a place under a volume that a running container shares, swapped
    /// for a link to the host meanwhile, cannot redirect it.</summary>
    Task MountOntoAsync(string root, string path, string source, bool readOnly);

    /// <summary>Reads the file <paramref name="path"/> names inside <paramref name="root"/> (resolved there, as
    /// <see cref="RunAsync"/> resolves), only if it is a regular file of at most <paramref name="maxBytes"/>. The
    /// object found is pinned by a descriptor and its type checked before anything opens it for reading, so a FIFO
    /// (which would block the open), a device node (whose open can act on the host's device) or a file swapped in
    /// between is never opened. For the daemon's reads of a container's own files (/etc/passwd, /etc/group).</summary>
    Task<RootFile> ReadFileAsync(string root, string path, int maxBytes);
}
