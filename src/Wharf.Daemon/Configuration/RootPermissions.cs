using Wharf.Linux.Files;

namespace Wharf.Daemon.Configuration;

/// <summary>The data root and exec root hold container configs (their Env: secrets), logs, and every container's
/// filesystem, setuid binaries included (CVE-2021-41091: a host user executing a container's setuid file). Like
/// dockerd (0710 and 0700), other host users may not even traverse them. The modes are set at creation and again at
/// every start, so a root left 0755 by an older version is closed too. Anything inside is then unreachable for other
/// users whatever its own mode.</summary>
internal static class RootPermissions
{
    /// <summary>0710: owner everything, group traverse only (dockerd's remapped-root group), others nothing.</summary>
    public const UnixFileMode DataRootMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute;

    /// <summary>0700; 0710 with the socket group when the API socket lives inside it (the default
    /// /run/wharf/wharf.sock), so the group's members can still reach the socket, and nobody else anything.</summary>
    public const UnixFileMode ExecRootMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Apply(DaemonSettings settings, string groupFile = "/etc/group")
    {
        Restrict(settings.DataRoot, DataRootMode);
        var execRoot = Path.GetFullPath(settings.ExecRoot).TrimEnd('/') + "/";
        var socketInside = settings.Hosts.Any(h => SocketPath(h) is { } path && Path.GetFullPath(path).StartsWith(execRoot, StringComparison.Ordinal));
        if (socketInside && SocketPermissions.FindGroupId(groupFile, SocketPermissions.SocketGroup) is { } gid)
        {
            Restrict(settings.ExecRoot, ExecRootMode | UnixFileMode.GroupExecute);
            FileMetadata.Lchown(settings.ExecRoot, 0, gid);
        }
        else
        {
            Restrict(settings.ExecRoot, ExecRootMode);
        }
    }

    private static void Restrict(string directory, UnixFileMode mode)
    {
        Directory.CreateDirectory(directory, mode);
        File.SetUnixFileMode(directory, mode); // CreateDirectory leaves an existing directory's mode as it was
    }

    private static string? SocketPath(string host) =>
        host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] is { Length: > 0 } p ? p : DaemonSettings.DefaultHost["unix://".Length..]
        : host.StartsWith('/') ? host : null;
}
