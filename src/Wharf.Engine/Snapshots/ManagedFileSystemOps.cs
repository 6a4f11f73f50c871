namespace Wharf.Engine.Snapshots;

/// <summary>Fallback without syscalls: ownership is left as the extracting user's, and device nodes, fifos, hard
/// links and xattrs are reported unsupported so the applier skips or copies instead.</summary>
public sealed class ManagedFileSystemOps : IFileSystemOps
{
    public void Lchown(string path, int uid, int gid)
    {
        // No managed lchown exists; files keep the daemon's ownership until the Linux implementation is wired.
    }

    public void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor) =>
        throw new NotSupportedException("mknod needs the Linux file operations");

    public void Link(string existingPath, string newPath) =>
        throw new NotSupportedException("hard links need the Linux file operations");

    public void SetXattr(string path, string name, ReadOnlySpan<byte> value) =>
        throw new NotSupportedException("xattrs need the Linux file operations");
}
