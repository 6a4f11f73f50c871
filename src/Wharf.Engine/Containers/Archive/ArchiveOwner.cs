using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Containers.Archive;

/// <summary>docker cp -a: the owner copied-in files get. Docker resolves the container's configured user (and
/// group) against the container's own /etc/passwd and /etc/group; without a configured user it keeps the
/// archive's ownership (null here).</summary>
public static class ArchiveOwner
{
    /// <param name="root">The container's root as the host sees it.</param>
    /// <param name="user">The container's Config.User ("", "name", "uid", "name:group", "uid:gid", ...).</param>
    public static (int Uid, int Gid)? Resolve(string root, string user)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (string.IsNullOrEmpty(user)) return null;
        // Both files are read through the container-root resolver: a hostile /etc/passwd symlink (to
        // "/../../host/etc/passwd" or similar) still lands inside the container's root.
        var resolved = UserResolver.Resolve(user, ReadInside(root, "/etc/passwd"), ReadInside(root, "/etc/group"));
        return ((int)resolved.Uid, (int)resolved.Gid);
    }

    private static string? ReadInside(string root, string containerPath)
    {
        try
        {
            return ImageAccountFile.ReadInRoot(root, containerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
