using System.Globalization;

namespace Wharf.Linux.Exec;

/// <summary>Moves a process into every cgroup another process is in, the way runc puts an exec into the container's
/// cgroups: for each line of /proc/&lt;pid&gt;/cgroup ("id:controllers:path"; "0::path" is the v2 hierarchy), find
/// that hierarchy's mount in our mountinfo (a cgroup mount whose super options name the same controllers, or
/// cgroup2), and write the pid to &lt;mount&gt;/&lt;path relative to the mount's root&gt;/cgroup.procs. Works on v1,
/// hybrid (this host) and v2 alike, since it never assumes the layout.</summary>
public static class CgroupMembership
{
    public static void Join(int targetPid, int pid, string procRoot = "/proc")
    {
        var membership = File.ReadAllText(Path.Combine(procRoot, targetPid.ToString(CultureInfo.InvariantCulture), "cgroup"));
        var mounts = ParseMounts(File.ReadAllText(Path.Combine(procRoot, "self", "mountinfo")));
        var text = pid.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directories(membership, mounts))
            File.WriteAllText(Path.Combine(dir, "cgroup.procs"), text);
    }

    /// <summary>The cgroup directories for a /proc/PID/cgroup text; hierarchies without a mount are skipped.</summary>
    public static IReadOnlyList<string> Directories(string membership, IReadOnlyList<CgroupMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(mounts);
        var dirs = new List<string>();
        foreach (var line in membership.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            var (hierarchyId, controllers, path) = (parts[0], parts[1], parts[2]);
            var wanted = controllers.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var mount = mounts.FirstOrDefault(m => hierarchyId == "0" && controllers.Length == 0
                ? m.Version2
                : !m.Version2 && wanted.SetEquals(m.Controllers));
            if (mount is null)
                continue;
            var root = mount.Root.TrimEnd('/');
            if (root.Length > 0 && !(path == root || path.StartsWith(root + "/", StringComparison.Ordinal)))
                continue; // a mount of another subtree: it cannot reach this cgroup
            dirs.Add(mount.MountPoint.TrimEnd('/') + path[root.Length..]);
        }
        return dirs;
    }

    /// <summary>The cgroup and cgroup2 mounts of a mountinfo text, in order (first wins).</summary>
    public static IReadOnlyList<CgroupMount> ParseMounts(string mountinfo)
    {
        ArgumentNullException.ThrowIfNull(mountinfo);
        var mounts = new List<CgroupMount>();
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
                continue;
            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3)
                continue;
            var root = Unescape(fields[3]);
            var mountPoint = Unescape(fields[4]);
            if (tail[0] == "cgroup2")
            {
                mounts.Add(new CgroupMount(mountPoint, root, true, []));
            }
            else if (tail[0] == "cgroup")
            {
                var known = new HashSet<string>(StringComparer.Ordinal) { "rw", "ro", "clone_children", "noprefix", "xattr", "cpuset_v2_mode", "favordynmods" };
                var controllers = tail[2].Split(',').Where(o => !known.Contains(o) && !o.StartsWith("release_agent=", StringComparison.Ordinal)).ToList();
                mounts.Add(new CgroupMount(mountPoint, root, false, controllers));
            }
        }
        return mounts;
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
        .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}

/// <summary>A cgroup hierarchy's mount: where, which subtree (mountinfo's root), v2 or the v1 controllers (a named
/// hierarchy's "name=systemd" counts as a controller, as /proc/PID/cgroup spells it).</summary>
public sealed record CgroupMount(string MountPoint, string Root, bool Version2, IReadOnlyList<string> Controllers);
