using Wharf.Core.Errors;

namespace Wharf.Engine.Containers.Archive;

/// <summary>Resolves a path inside a container's root the way the container itself would see it, component by
/// component: ".." stops at the root and every symlink (absolute or relative) is resolved against the root, so
/// no path or link, however hostile, leads outside it.</summary>
public static class ContainerPathResolver
{
    private const int MaxSymlinks = 40;

    /// <param name="root">The container's root directory on the host.</param>
    /// <param name="containerPath">Path inside the container (relative paths are taken from its root).</param>
    /// <param name="followFinal">Follow a symlink in the last component too (otherwise it is the result).</param>
    /// <returns>The host path (under <paramref name="root"/>) and the clean container path it stands for.</returns>
    public static (string HostPath, string ContainerPath) Resolve(string root, string containerPath, bool followFinal)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(containerPath);
        root = Path.TrimEndingDirectorySeparator(root);
        var prefix = root == "/" ? "" : root; // confined work sees its root as "/"
        var pending = new LinkedList<string>(Split(containerPath));
        var resolved = new List<string>();
        var links = 0;
        while (pending.First is { } node)
        {
            var part = node.Value;
            pending.RemoveFirst();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = prefix + "/" + string.Join('/', resolved.Append(part));
            var isLast = pending.Count == 0;
            if ((!isLast || followFinal) && new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++links > MaxSymlinks) throw EngineException.Invalid($"{containerPath}: too many levels of symbolic links");
                if (target.StartsWith('/')) resolved.Clear();
                var targetParts = Split(target);
                for (var i = targetParts.Count - 1; i >= 0; i--) pending.AddFirst(targetParts[i]);
                continue;
            }
            resolved.Add(part);
        }
        var inner = "/" + string.Join('/', resolved);
        return (resolved.Count == 0 ? root : prefix + inner, inner);
    }

    private static List<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
}
