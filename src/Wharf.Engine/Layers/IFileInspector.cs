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

    /// <summary>Holds the directory at <paramref name="path"/> open without following it if it is a symlink; null when
    /// it is missing or not a directory. Names looked up under the pin's path resolve in that directory only, so a
    /// walk of a tree a running container changes is never led out of it by a directory swapped for a symlink.</summary>
    DirectoryPin? PinDirectory(string path);
}
