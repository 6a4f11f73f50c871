using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Wharf.Engine.Layers;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Layers;

public sealed class LayerDifferTests : IDisposable
{
    private readonly TempDirectory _dir = new("wharf-differ");
    private readonly OverridingInspector _inspector = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteTree_SameTreeTwice_ByteIdenticalAndReadableByTarReader()
    {
        var root = Tree("tree", ("a/b/file.txt", "hello"), ("z.txt", "zz"), ("a/" + new string('n', 120), "long name"));
        File.SetUnixFileMode(Path.Combine(root, "z.txt"), (UnixFileMode)0xDED); // 06755 + sticky: setuid/setgid/sticky kept
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a/b/file.txt");
        var differ = new LayerDiffer(_inspector);

        var first = Write(s => differ.WriteTree(root, s));
        var second = Write(s => differ.WriteTree(root, s));

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        var entries = Read(first);
        Assert.Equal(["a/", "a/b/", "a/b/file.txt", "a/" + new string('n', 120), "link", "z.txt"], entries.Select(e => e.Name).ToArray());
        Assert.Equal("hello", entries.Single(e => e.Name == "a/b/file.txt").Content);
        Assert.Equal((UnixFileMode)0xDED, entries.Single(e => e.Name == "z.txt").Mode);
        Assert.Equal("a/b/file.txt", entries.Single(e => e.Name == "link").LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries.Single(e => e.Name == "link").Type);
    }

    [Fact]
    public void WriteLayer_WhiteoutsAndOpaqueDirectory_BecomeDockerWhiteoutFiles()
    {
        var lower = Tree("lower", ("etc/passwd", "root"), ("etc/gone", "x"), ("opaque/old", "o"), ("keep/same", "s"));
        var upper = Tree("upper", ("etc/gone", ""), ("etc/new", "n"), ("opaque/fresh", "f"));
        Directory.CreateDirectory(Path.Combine(upper, "keep")); // copied up only: no content change, must not appear
        _inspector.Whiteouts.Add(Path.Combine(upper, "etc/gone"));
        _inspector.Xattrs[Path.Combine(upper, "opaque")] = [new("trusted.overlay.opaque", "y"u8.ToArray())];
        var differ = new LayerDiffer(_inspector);

        var layer = Read(Write(s => differ.WriteLayer(upper, [lower], s)));
        var changes = differ.Changes(upper, [lower]);

        Assert.Equal(["etc/", "etc/.wh.gone", "etc/new", "opaque/", "opaque/.wh..wh..opq", "opaque/fresh"], layer.Select(e => e.Name).ToArray());
        Assert.All(layer.Where(e => e.Name.Contains(".wh.", StringComparison.Ordinal)), e => Assert.Equal(TarEntryType.RegularFile, e.Type));
        Assert.Equal([("/etc", ChangeKind.Modified), ("/etc/gone", ChangeKind.Deleted), ("/etc/new", ChangeKind.Added), ("/opaque", ChangeKind.Modified), ("/opaque/fresh", ChangeKind.Added)],
            changes.Select(c => (c.Path, c.Kind)).ToArray());
    }

    [Fact]
    public void Changes_RuntimeMountStubs_AreNotReported()
    {
        var lower = Tree("lower2", ("etc/passwd", "root"));
        var upper = Tree("upper2", ("etc/hostname", ""), ("etc/resolv.conf", ""));
        Directory.CreateDirectory(Path.Combine(upper, "proc"));

        var changes = new LayerDiffer(_inspector).Changes(upper, [lower]);
        var layer = Read(Write(s => new LayerDiffer(_inspector).WriteLayer(upper, [lower], s)));

        Assert.Empty(changes);
        Assert.Empty(layer);
    }

    [Fact]
    public void WriteLayer_EmptyUpper_WritesOnlyTheEndMarkerAndReportsNoEntries()
    {
        var upper = Tree("empty");
        LayerWriteResult? result = null;
        var bytes = Write(s => result = new LayerDiffer(_inspector).WriteLayer(upper, [], s));

        Assert.Equal(0, result!.Entries);
        Assert.Equal(new byte[1024], bytes);
    }

    [Fact]
    public void TarStreamWriter_Xattrs_AreWrittenAsPaxRecords()
    {
        using var buffer = new MemoryStream();
        var writer = new TarStreamWriter(buffer);
        writer.Write(new TarRecord('0', "f", 0x1A4, Size: 1, Xattrs: [new("user.k", "v"u8.ToArray())]), new MemoryStream([42]));
        writer.Finish();

        buffer.Position = 0;
        using var reader = new TarReader(buffer);
        var entry = Assert.IsType<PaxTarEntry>(reader.GetNextEntry());
        Assert.Equal("f", entry.Name);
        Assert.Equal("v", entry.ExtendedAttributes["SCHILY.xattr.user.k"]);
        Assert.Null(reader.GetNextEntry());
    }

    private string Tree(string name, params (string Path, string Content)[] files)
    {
        var root = _dir.Combine(name);
        Directory.CreateDirectory(root);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return root;
    }

    private static byte[] Write(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        return buffer.ToArray();
    }

    private static List<(string Name, TarEntryType Type, UnixFileMode Mode, string LinkName, string Content)> Read(byte[] tar)
    {
        var result = new List<(string, TarEntryType, UnixFileMode, string, string)>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var content = entry.DataStream is { } data ? new StreamReader(data, Encoding.UTF8).ReadToEnd() : "";
            result.Add((entry.Name, entry.EntryType, entry.Mode, entry.LinkName, content));
        }
        return result;
    }
}
