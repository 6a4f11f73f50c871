namespace Wharf.Engine.Containers.Resources;

/// <summary>Where a container's cgroup lives (the OCI spec's cgroupsPath, with the cgroupfs driver): under its own
/// --cgroup-parent when it has one, else under the daemon's. Docker joins a relative parent to the cgroup of the
/// process that runs runc; here that process is a shim whose cgroup is not a stable anchor, so a relative parent is
/// taken from the cgroup root, as the daemon's own --cgroup-parent is. Either way the same path serves runc at start,
/// runc update, stats and top, on cgroup v1 (one tree per controller) and v2 (one tree) alike.</summary>
public static class CgroupPaths
{
    public static string Of(HostSettings host, string daemonParent, string id)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(daemonParent);
        var parent = host.CgroupParent.Length > 0 ? host.CgroupParent : daemonParent;
        // filepath.Clean of the absolute form: "." and empty parts go, ".." stops at the root.
        var parts = new List<string>();
        foreach (var part in (parent + "/" + id).Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
