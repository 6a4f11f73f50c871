using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Core.Host;

namespace Wharf.Engine.Containers.Spec;

/// <summary>Resolves Docker's user forms ("", "name", "uid", "name:group", "uid:gid", "uid:groupname") against
/// the container's own /etc/passwd and /etc/group, never the host's. Either file may be missing.</summary>
public static class UserResolver
{
    /// <summary>Reads &lt;rootfs&gt;/etc/passwd and &lt;rootfs&gt;/etc/group and resolves <paramref name="user"/>.</summary>
    public static ResolvedUser ResolveInRootfs(string rootfsPath, string? user) =>
        Resolve(user, ReadInRootfs(rootfsPath, "etc/passwd"), ReadInRootfs(rootfsPath, "etc/group"));

    /// <summary>Reads /etc/passwd and /etc/group inside the root of a container that may be running and changing them
    /// (exec -u), each through <see cref="ImageAccountFile.ReadInRootAsync"/>, and resolves <paramref name="user"/>.</summary>
    public static async Task<ResolvedUser> ResolveInRootAsync(IRootConfinement confinement, string root, string? user)
    {
        var passwd = await ImageAccountFile.ReadInRootAsync(confinement, root, "/etc/passwd").ConfigureAwait(false);
        var group = await ImageAccountFile.ReadInRootAsync(confinement, root, "/etc/group").ConfigureAwait(false);
        return Resolve(user, passwd, group);
    }

    /// <summary>Pure form: file contents (null = file absent).</summary>
    public static ResolvedUser Resolve(string? user, string? passwdText, string? groupText)
    {
        var (userPart, groupPart) = Split(user ?? "");
        var passwd = ParseEntries(passwdText, minFields: 6);
        var groups = ParseEntries(groupText, minFields: 4);

        var uid = 0u;
        var gid = 0u;
        var home = "/";
        string? matchedName = null;
        var userIsNumeric = TryParseId(userPart, out var numericUid);

        // An empty user means root, but the passwd entry for uid 0 still supplies name and home, so
        // root's supplementary groups (busybox lists root in "wheel") apply like Docker.
        var wantedUid = userPart.Length == 0 ? 0u : numericUid;
        var entry = passwd.FirstOrDefault(fields =>
            userPart.Length == 0 || userIsNumeric
                ? TryParseId(fields[2], out var entryUid) && entryUid == wantedUid
                : fields[0] == userPart);

        if (entry is not null)
        {
            matchedName = entry[0];
            uid = TryParseId(entry[2], out var u) ? u : 0;
            gid = TryParseId(entry[3], out var g) ? g : 0;
            home = entry[5].Length > 0 ? entry[5] : "/";
        }
        else if (userPart.Length > 0 && !userIsNumeric)
        {
            throw EngineException.Invalid($"unable to find user {userPart}: no matching entries in passwd file");
        }
        else
        {
            uid = wantedUid;
        }

        if (groupPart is not null)
        {
            // An explicit group replaces the primary gid and, as in Docker, no supplementary groups are added.
            if (TryParseId(groupPart, out var numericGid))
            {
                return new ResolvedUser(uid, numericGid, [], home);
            }

            var group = groups.FirstOrDefault(fields => fields[0] == groupPart)
                ?? throw EngineException.Invalid($"unable to find group {groupPart}: no matching entries in group file");
            return new ResolvedUser(uid, TryParseId(group[2], out var namedGid) ? namedGid : 0, [], home);
        }

        var additional = new List<uint>();
        if (matchedName is not null)
        {
            foreach (var group in groups)
            {
                var members = group[3..].SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries));
                if (members.Contains(matchedName, StringComparer.Ordinal)
                    && TryParseId(group[2], out var memberGid)
                    && !additional.Contains(memberGid))
                {
                    additional.Add(memberGid);
                }
            }
        }

        return new ResolvedUser(uid, gid, additional, home);
    }

    private static (string User, string? Group) Split(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (spec.Trim(), null) : (spec[..colon].Trim(), spec[(colon + 1)..].Trim());
    }

    private static bool TryParseId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= int.MaxValue;

    private static List<string[]> ParseEntries(string? text, int minFields)
    {
        var entries = new List<string[]>();
        if (text is null)
        {
            return entries;
        }

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(':');
            if (fields.Length < minFields)
            {
                // Tolerate short group lines ("wheel:x:10") by padding, skip anything shorter.
                if (fields.Length < 3)
                {
                    continue;
                }

                Array.Resize(ref fields, minFields);
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] ??= "";
                }
            }

            entries.Add(fields);
        }

        return entries;
    }

    /// <summary>&lt;rootfs&gt;/<paramref name="relativePath"/> as the container would see it (links resolved inside the
    /// rootfs, never out to the host's own files), read with the checks of <see cref="ImageAccountFile"/>.</summary>
    internal static string? ReadInRootfs(string rootfsPath, string relativePath) =>
        ImageAccountFile.ReadInRoot(rootfsPath, "/" + relativePath.TrimStart('/'));
}
