using Wharf.Linux.Files;

namespace Wharf.Daemon.Configuration;

/// <summary>The API socket gives root on the host to whoever can write it: owner and group only (0660), never
/// world-writable. Like dockerd with its "docker" group, the socket's group is "wharf" when that group exists, so
/// admins grant access by group membership instead of loosening the mode.</summary>
internal static class SocketPermissions
{
    public const string SocketGroup = "wharf";

    public static void Restrict(string socketPath, string groupFile = "/etc/group")
    {
        if (FindGroupId(groupFile, SocketGroup) is { } gid)
        {
            FileMetadata.Lchown(socketPath, 0, gid);
        }

        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    }

    /// <summary>The gid of <paramref name="name"/> in an /etc/group-format file, or null.</summary>
    internal static int? FindGroupId(string groupFile, string name)
    {
        if (!File.Exists(groupFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(groupFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && int.TryParse(fields[2], out var gid))
            {
                return gid;
            }
        }

        return null;
    }
}
