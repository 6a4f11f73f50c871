namespace Wharf.Cli;

/// <summary>
/// Why this user may not open the daemon's unix socket, and the fix: wharfd hands the socket to the group "wharf"
/// (root:wharf, mode 0660, as docker's group), so the answer depends on whether that group exists and whether this
/// process is in it (/etc/group and /proc/self/status; a fresh `usermod -aG` only counts after logging in again).
/// </summary>
internal static class SocketAccessHint
{
    public const string GroupName = "wharf";

    public static string Describe(string socketPath, Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        var group = readFile("/etc/group")?.Split('\n').FirstOrDefault(l => l.StartsWith(GroupName + ":", StringComparison.Ordinal));
        if (group is null)
        {
            return $" (run as root, or create the group '{GroupName}' (install.sh does) so wharfd gives it the socket, then join it)";
        }

        var gid = group.Split(':') is { Length: > 2 } fields ? fields[2] : "";
        var ours = readFile("/proc/self/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("Groups:", StringComparison.Ordinal)) is { } line
            ? line["Groups:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            : [];
        return ours.Contains(gid)
            ? $" (you are in the group '{GroupName}' but the socket does not let it in: wharfd makes it root:{GroupName} mode 0660; check 'ls -l {socketPath}')"
            : $" (you are not in the group '{GroupName}' that may use the socket: run 'sudo usermod -aG {GroupName} $USER' and log in again, or run as root)";
    }

    /// <summary>The file's text, or null when it cannot be read.</summary>
    public static string? ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
