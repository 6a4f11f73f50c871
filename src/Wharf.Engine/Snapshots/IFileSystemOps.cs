namespace Wharf.Engine.Snapshots;

/// <summary>The few file operations layer extraction needs that .NET has no managed API for. The daemon wires an
/// implementation backed by Wharf.Linux; <see cref="ManagedFileSystemOps"/> is the fallback (tests, non-root).
/// Implementations throw <see cref="NotSupportedException"/> for what they cannot do, and the applier degrades.</summary>
public interface IFileSystemOps
{
    /// <summary>lchown(2): changes owner without following a symlink.</summary>
    void Lchown(string path, int uid, int gid);

    /// <summary>mknod(2) for character/block devices and fifos; <paramref name="mode"/> holds only permission bits.</summary>
    void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor);

    /// <summary>link(2): a hard link <paramref name="newPath"/> to <paramref name="existingPath"/> (not following symlinks).</summary>
    void Link(string existingPath, string newPath);

    /// <summary>lsetxattr(2).</summary>
    void SetXattr(string path, string name, ReadOnlySpan<byte> value);
}
