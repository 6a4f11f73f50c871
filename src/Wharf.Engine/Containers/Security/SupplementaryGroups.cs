using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Security;

/// <summary>--group-add: numeric gids as given, names looked up in the image's /etc/group (never the host's).</summary>
public static class SupplementaryGroups
{
    /// <param name="groupText">The container's /etc/group; null when the image has none.</param>
    public static IReadOnlyList<uint> Resolve(IReadOnlyList<string> groupAdd, string? groupText)
    {
        ArgumentNullException.ThrowIfNull(groupAdd);
        var result = new List<uint>();
        foreach (var raw in groupAdd)
        {
            var wanted = raw.Trim();
            if (uint.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) && gid <= int.MaxValue)
            {
                if (!result.Contains(gid)) result.Add(gid);
                continue;
            }
            var found = false;
            foreach (var line in (groupText ?? "").Split('\n'))
            {
                var fields = line.Trim().Split(':');
                if (fields.Length < 3 || fields[0] != wanted) continue;
                if (!uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var namedGid)) continue;
                if (!result.Contains(namedGid)) result.Add(namedGid);
                found = true;
                break;
            }
            if (!found) throw EngineException.Invalid($"Unable to find group {wanted}: no matching entries in group file");
        }
        return result;
    }
}
