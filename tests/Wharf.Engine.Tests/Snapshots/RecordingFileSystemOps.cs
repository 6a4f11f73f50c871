using Wharf.Engine.Snapshots;

namespace Wharf.Engine.Tests.Snapshots;

/// <summary>Records the syscall-level requests of the layer applier. Special files become empty regular files and
/// hard links become copies, so the rest of the extraction can proceed without root.</summary>
internal sealed class RecordingFileSystemOps : IFileSystemOps
{
    public List<(string Path, int Uid, int Gid)> Chowns { get; } = [];
    public List<(string Path, SpecialFileKind Kind, int Major, int Minor)> Nodes { get; } = [];
    public List<(string Existing, string New)> Links { get; } = [];
    public List<(string Path, string Name, string Value)> Xattrs { get; } = [];

    public void Lchown(string path, int uid, int gid) => Chowns.Add((path, uid, gid));

    public void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor)
    {
        Nodes.Add((path, kind, major, minor));
        File.WriteAllBytes(path, []);
    }

    public void Link(string existingPath, string newPath)
    {
        Links.Add((existingPath, newPath));
        File.Copy(existingPath, newPath);
    }

    public void SetXattr(string path, string name, ReadOnlySpan<byte> value) =>
        Xattrs.Add((path, name, System.Text.Encoding.UTF8.GetString(value)));
}
