using Wharf.Engine.Layers;

namespace Wharf.Engine.Storage;

/// <summary>Sizes of directory trees that a container controls (its writable layer, a volume), for ps -s and
/// system df. A running container may swap any directory of the tree for a symlink while the daemon walks it, so the
/// walk descends by descriptors (<see cref="IFileInspector.PinDirectory"/>): each directory is held open and its
/// entries are looked at through that descriptor, never by a path the container could redirect to the host. Symlinks
/// are neither counted nor entered. The walk keeps its own stack (a tree may be far deeper than a thread's stack) and
/// stops descending at <see cref="MaxDepth"/> levels, each of which holds one descriptor.</summary>
internal static class DiskUsage
{
    public const int MaxDepth = 1024;

    /// <summary>Bytes of the regular files below <paramref name="path"/>.</summary>
    public static long BytesBelow(string path, IFileInspector inspector)
    {
        var root = inspector.PinDirectory(path);
        if (root is null) return 0;
        var open = new Stack<(DirectoryPin Directory, IEnumerator<string> Entries)>();
        open.Push((root, EntriesOf(root)));
        long total = 0;
        try
        {
            while (open.TryPeek(out var top))
            {
                if (!NextEntry(top.Entries, out var name))
                {
                    Close(open.Pop());
                    continue;
                }
                var child = Path.Combine(top.Directory.Path, name);
                if (inspector.LStat(child) is not { } stat) continue;
                if (stat.Type == FileStat.Regular) total += stat.Size;
                else if (stat.IsDirectory && open.Count < MaxDepth && inspector.PinDirectory(child) is { } pinned) open.Push((pinned, EntriesOf(pinned)));
            }
        }
        finally
        {
            while (open.TryPop(out var left)) Close(left);
        }
        return total;
    }

    /// <summary>The names in the pinned directory, read through its descriptor (lazily: nothing is read yet).</summary>
    private static IEnumerator<string> EntriesOf(DirectoryPin directory) =>
        Directory.EnumerateFileSystemEntries(directory.Path).Select(Path.GetFileName).OfType<string>().GetEnumerator();

    /// <summary>A directory emptied or made unreadable under the walk ends its listing, not the walk.</summary>
    private static bool NextEntry(IEnumerator<string> entries, out string name)
    {
        try
        {
            if (entries.MoveNext())
            {
                name = entries.Current;
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone or unreadable meanwhile: nothing more to count in it.
        }
        name = "";
        return false;
    }

    private static void Close((DirectoryPin Directory, IEnumerator<string> Entries) level)
    {
        level.Entries.Dispose();
        level.Directory.Dispose();
    }
}
