namespace Wharf.Engine.Snapshots;

/// <summary>Recursive delete that never follows symlinks and first makes directories writable, since extracted
/// layers legitimately contain read-only directories (0555) that would otherwise block removal.</summary>
internal static class DirectoryTree
{
    public static void ForceDelete(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
        {
            File.Delete(path);
            return;
        }
        if (!info.Exists)
        {
            File.Delete(path);
            return;
        }
        MakeWritable(path);
        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            var child = new FileInfo(entry);
            if (child.LinkTarget is null && child.Attributes.HasFlag(FileAttributes.Directory)) ForceDelete(entry);
            else File.Delete(entry);
        }
        Directory.Delete(path);
    }

    private static void MakeWritable(string directory)
    {
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var mode = UnixFiles.GetMode(directory);
        if ((mode & owner) != owner) UnixFiles.SetMode(directory, mode | owner);
    }
}
