using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Spec;

namespace Wharf.Engine.Builder;

/// <summary>COPY/ADD --chown=user[:group]: numbers pass through, names are looked up in the image's own
/// /etc/passwd and /etc/group (never the host's), as Docker does. A user alone also takes that user's primary group.
/// The layer directories are given topmost first; the first one holding the file wins.</summary>
internal static class ChownResolver
{
    public static (int Uid, int Gid) Resolve(string chown, IReadOnlyList<string> layerDirectoriesTopFirst)
    {
        var colon = chown.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? chown : chown[..colon];
        var group = colon < 0 ? null : chown[(colon + 1)..];
        if (user.Length == 0) throw EngineException.Invalid($"unable to convert uid/gid chown string to host mapping: invalid chown string: {chown}");

        int uid;
        int? primaryGid = null;
        if (TryNumber(user, out var numericUid)) uid = numericUid;
        else
        {
            var entry = FindEntry(layerDirectoriesTopFirst, "etc/passwd", user)
                ?? throw EngineException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}");
            uid = ParseField(entry, 2, user);
            primaryGid = ParseField(entry, 3, user);
        }

        if (group is null) return (uid, primaryGid ?? uid);
        if (TryNumber(group, out var numericGid)) return (uid, numericGid);
        var groupEntry = FindEntry(layerDirectoriesTopFirst, "etc/group", group)
            ?? throw EngineException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}");
        return (uid, ParseField(groupEntry, 2, group));
    }

    private static bool TryNumber(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static string[]? FindEntry(IReadOnlyList<string> layers, string relativeFile, string name)
    {
        foreach (var layer in layers)
        {
            var path = Path.Combine(layer, relativeFile);
            var info = new FileInfo(path);
            if (!info.Exists && info.LinkTarget is null) continue; // not in this layer
            // Read with the image-file checks: a FIFO or a device (an overlay whiteout is a 0/0 character device: the
            // file was deleted in that layer) reads as empty, a link is not followed out of the layer to the host,
            // and the size is capped.
            var text = ImageAccountFile.Read(path, "/" + relativeFile);
            foreach (var line in (text ?? "").Split('\n'))
            {
                var fields = line.TrimEnd('\r').Split(':');
                if (fields.Length >= 3 && fields[0] == name) return fields;
            }
            return null;
        }
        return null;
    }

    private static int ParseField(string[] fields, int index, string name) =>
        fields.Length > index && TryNumber(fields[index], out var id) ? id
            : throw EngineException.Invalid($"unable to convert uid/gid chown string to host mapping: malformed entry for {name}");
}
