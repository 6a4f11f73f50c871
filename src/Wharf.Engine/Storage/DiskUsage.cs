using System.IO.Enumeration;

namespace Wharf.Engine.Storage;

/// <summary>Sizes of directory trees that a container controls (its writable layer, a volume), for system df.</summary>
internal static class DiskUsage
{
    /// <summary>Bytes of the regular files below <paramref name="path"/>. Symlinks are neither counted nor entered:
    /// .NET's RecurseSubdirectories follows a link to a directory, and a container that creates `ln -s / x` would
    /// otherwise have the daemon walk (and report) the host's whole filesystem.</summary>
    public static long BytesBelow(string path)
    {
        if (!Directory.Exists(path)) return 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var sizes = new FileSystemEnumerable<long>(path, (ref FileSystemEntry entry) => entry.Length, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && !IsLink(ref entry),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(ref entry),
        };
        long total = 0;
        foreach (var size in sizes) total += size;
        return total;
    }

    private static bool IsLink(ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;
}
