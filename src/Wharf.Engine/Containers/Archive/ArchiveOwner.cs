using Wharf.Core.Host;
using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Containers.Archive;

/// <summary>docker cp -a: the owner copied-in files get. Docker resolves the container's configured user (and
/// group) against the container's own /etc/passwd and /etc/group; without a configured user it keeps the
/// archive's ownership (null here).</summary>
public static class ArchiveOwner
{
    /// <param name="confinement">Reads both files inside the root, through descriptors: a running container may swap
    /// them for a FIFO, a device or a symlink to a host file while they are read.</param>
    /// <param name="root">The container's root as the host sees it.</param>
    /// <param name="user">The container's Config.User ("", "name", "uid", "name:group", "uid:gid", ...).</param>
    public static async Task<(int Uid, int Gid)?> ResolveAsync(IRootConfinement confinement, string root, string user)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (string.IsNullOrEmpty(user)) return null;
        var resolved = UserResolver.Resolve(user,
            await ReadInsideAsync(confinement, root, "/etc/passwd").ConfigureAwait(false),
            await ReadInsideAsync(confinement, root, "/etc/group").ConfigureAwait(false));
        return ((int)resolved.Uid, (int)resolved.Gid);
    }

    private static async Task<string?> ReadInsideAsync(IRootConfinement confinement, string root, string containerPath)
    {
        try
        {
            return await ImageAccountFile.ReadInRootAsync(confinement, root, containerPath).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
