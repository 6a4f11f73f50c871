namespace Wharf.Engine.Layers;

/// <summary>Reads file metadata .NET has no managed API for (ownership, inode, device numbers, xattrs), without
/// following symlinks. The daemon wires an implementation backed by Wharf.Linux; <see cref="ManagedFileInspector"/>
/// is the fallback for tests.</summary>
public interface IFileInspector
{
    /// <summary>lstat(2); null when nothing is at <paramref name="path"/>.</summary>
    FileStat? LStat(string path);

    /// <summary>Every extended attribute of the file itself (empty when none or unsupported).</summary>
    IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path);
}
