namespace Wharf.Engine.Builder;

/// <summary>Every entry below a directory, recursively, in ordinal order, WITHOUT descending into symlinked
/// directories. .NET's RecurseSubdirectories follows a link to a directory, so a build context holding a link to
/// "/" would copy the daemon host's files into the image.</summary>
internal static class ContextWalker
{
    public static List<string> Entries(string directory)
    {
        var result = new List<string>();
        Walk(directory, result);
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static void Walk(string directory, List<string> result)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
        {
            result.Add(entry.FullName);
            if (entry is DirectoryInfo && entry.LinkTarget is null) Walk(entry.FullName, result);
        }
    }
}
