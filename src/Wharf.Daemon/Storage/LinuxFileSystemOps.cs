using Wharf.Engine.Snapshots;
using Wharf.Linux.Files;

namespace Wharf.Daemon.Storage;

/// <summary>The engine's layer-extraction file operations, done for real by Wharf.Linux. Lives in the daemon
/// because Linux must not know the engine's interfaces and the engine must not call the kernel.</summary>
internal sealed partial class LinuxFileSystemOps : IFileSystemOps
{
    public void Lchown(string path, int uid, int gid) => FileMetadata.Lchown(path, uid, gid);

    public void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor) =>
        FileMetadata.Mknod(path, kind switch
        {
            SpecialFileKind.CharacterDevice => 'c',
            SpecialFileKind.BlockDevice => 'b',
            _ => 'p',
        }, mode, major, minor);

    public void Link(string existingPath, string newPath) => FileMetadata.Link(existingPath, newPath);

    public void SetXattr(string path, string name, ReadOnlySpan<byte> value) => FileMetadata.SetXattr(path, name, value);
}
