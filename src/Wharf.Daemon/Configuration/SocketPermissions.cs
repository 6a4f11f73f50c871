namespace Wharf.Daemon.Configuration;

/// <summary>The API socket gives root on the host to whoever can write it: owner and group only (0660), never
/// world-writable.</summary>
internal static class SocketPermissions
{
    public static void Restrict(string socketPath) =>
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
}
