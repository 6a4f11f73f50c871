using Wharf.Core.Errors;

namespace Wharf.Engine.Builder;

/// <summary>Resolves a path of the unpacked build context the way the build may read it: symlinks are followed only
/// while they stay inside the context. The context comes from the client, so a Dockerfile, a .dockerignore or a
/// COPY/ADD source that is a link to "/etc/shadow" (or to "../../..") must never make the daemon read a host file:
/// such a path is Docker's "forbidden path outside the build context". The context is a scratch directory only the
/// builder writes, so resolving the string once is enough (nothing can swap a directory for a link meanwhile).</summary>
internal static class BuildContextPath
{
    /// <summary>As the kernel's MAXSYMLINKS: a loop of links ends with an error.</summary>
    private const int MaxLinks = 40;

    /// <summary>The host path of <paramref name="relative"/> inside <paramref name="contextDir"/>, every symlink on the
    /// way (the last component too) followed inside the context. Throws InvalidArgument with
    /// "<paramref name="prefix"/>forbidden path outside the build context: <paramref name="shown"/>" when a link (or a
    /// "..") leads out of it. The result need not exist.</summary>
    public static string Resolve(string contextDir, string relative, string shown, string prefix = "")
    {
        var root = Path.GetFullPath(contextDir).TrimEnd('/');
        var pending = new Stack<string>(Components(relative).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count == 0)
                    throw Forbidden(prefix, shown);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = root + "/" + string.Join('/', resolved.Append(part));
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks)
                throw EngineException.Invalid($"{prefix}too many levels of symbolic links: {shown}");
            // An absolute target names a file of the machine the context came from, or of this host: outside either way.
            if (target.StartsWith('/'))
                throw Forbidden(prefix, shown);
            foreach (var next in Components(target).Reverse())
                pending.Push(next);
        }
        return resolved.Count == 0 ? root : root + "/" + string.Join('/', resolved);
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static EngineException Forbidden(string prefix, string shown) =>
        EngineException.Invalid($"{prefix}forbidden path outside the build context: {shown}");
}
