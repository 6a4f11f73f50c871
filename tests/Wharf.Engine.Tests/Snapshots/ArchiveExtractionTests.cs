using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Snapshots;

/// <summary>docker cp's extraction (<see cref="LayerApplier.Extract"/>): noOverwriteDirNonDir and the owner
/// override of cp -a.</summary>
public sealed class ArchiveExtractionTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();
    private readonly string _root;

    public ArchiveExtractionTests()
    {
        _root = _dir.Combine("root");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _dir.Dispose();

    private long Extract(TarBuilder builder, ExtractionOptions options, IFileSystemOps? ops = null) =>
        new LayerApplier(ops ?? new ManagedFileSystemOps()).Extract(new MemoryStream(builder.Build()), _root, options);

    private string At(string relative) => Path.Combine(_root, relative);

    [Fact]
    public void Extract_NameStartingWithWhiteoutPrefix_IsWrittenLiterallyAndDeletesNothing()
    {
        File.WriteAllText(At("victim"), "still here");
        Directory.CreateDirectory(At("dir"));
        File.WriteAllText(At("dir/inner"), "still here");

        Extract(new TarBuilder().File(".wh.victim", "literal").Directory("dir/").File("dir/.wh..wh..opq", "literal too"), new ExtractionOptions());

        Assert.Equal("still here", File.ReadAllText(At("victim")));
        Assert.Equal("still here", File.ReadAllText(At("dir/inner")));
        Assert.Equal("literal", File.ReadAllText(At(".wh.victim")));
        Assert.Equal("literal too", File.ReadAllText(At("dir/.wh..wh..opq")));
    }

    [Fact]
    public void Extract_FileOverDirectoryWithNoOverwrite_Is400AndChangesNothing()
    {
        Directory.CreateDirectory(At("data"));
        File.WriteAllText(At("data/keep"), "kept");
        var error = Assert.Throws<EngineException>(() =>
            Extract(new TarBuilder().File("data", "a file"), new ExtractionOptions { NoOverwriteDirNonDir = true, DisplayRoot = "/srv" }));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("cannot overwrite directory \"/srv/data\" with non-directory \"/srv\"", error.Message);
        Assert.Equal("kept", File.ReadAllText(At("data/keep")));
    }

    [Fact]
    public void Extract_DirectoryOverFileOrSymlinkWithNoOverwrite_Is400AndChangesNothing()
    {
        File.WriteAllText(At("conf"), "original");
        File.CreateSymbolicLink(At("link"), "/etc");
        var options = new ExtractionOptions { NoOverwriteDirNonDir = true };
        var overFile = Assert.Throws<EngineException>(() => Extract(new TarBuilder().Directory("conf/").File("conf/x", "x"), options));
        Assert.Equal("cannot overwrite non-directory \"/conf\" with directory \"/\"", overFile.Message);
        Assert.Equal("original", File.ReadAllText(At("conf")));
        var overLink = Assert.Throws<EngineException>(() => Extract(new TarBuilder().Directory("link/"), options));
        Assert.Contains("cannot overwrite non-directory \"/link\"", overLink.Message);
        Assert.Equal("/etc", new FileInfo(At("link")).LinkTarget);
    }

    [Fact]
    public void Extract_SameKindsOrWithoutTheOption_ReplaceAndMerge()
    {
        Directory.CreateDirectory(At("dir"));
        File.WriteAllText(At("file"), "old");
        var options = new ExtractionOptions { NoOverwriteDirNonDir = true };
        // File over file and directory over directory are what docker cp does every day.
        var written = Extract(new TarBuilder().File("file", "new").Directory("dir/").File("dir/inner", "in"), options);
        Assert.Equal(5, written);
        Assert.Equal("new", File.ReadAllText(At("file")));
        Assert.Equal("in", File.ReadAllText(At("dir/inner")));
        // Without the option the archive wins, as with Docker's API default.
        Extract(new TarBuilder().File("dir", "flat"), new ExtractionOptions());
        Assert.Equal("flat", File.ReadAllText(At("dir")));
    }

    [Fact]
    public void Extract_AbsoluteNamesAsRelative_LandUnderTheRootAndDotDotStillRefused()
    {
        var options = new ExtractionOptions { AbsoluteNamesAreRelative = true };
        // What Testcontainers sends for CopyAsync(bytes, "/tmp/x"): absolute names, a hard link with an absolute target.
        Extract(new TarBuilder().Directory("/tmp/").File("/tmp/x", "abs").HardLink("/tmp/y", "/tmp/x"), options);
        Assert.Equal("abs", File.ReadAllText(At("tmp/x")));
        Assert.Equal("abs", File.ReadAllText(At("tmp/y")));

        var escape = Assert.Throws<EngineException>(() => Extract(new TarBuilder().File("/../outside", "no"), options));
        Assert.Equal(ErrorKind.InvalidArgument, escape.Kind);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "outside")));
        // Image layers (and extraction without the option) keep refusing absolute names.
        Assert.Throws<EngineException>(() => Extract(new TarBuilder().File("/tmp/z", "no"), new ExtractionOptions()));
        Assert.False(File.Exists(At("tmp/z")));
    }

    [Fact]
    public void Extract_WithOwner_ChownsEveryEntryToIt_WithoutItKeepsTheArchives()
    {
        var ops = new RecordingOwnerOps();
        var tar = new TarBuilder().Directory("d/").File("d/f", "x").Symlink("d/l", "f");
        Extract(tar, new ExtractionOptions { Owner = (4321, 8765) }, ops);
        Assert.Equal(3, ops.Calls.Count);
        Assert.All(ops.Calls, c => Assert.Equal((4321, 8765), (c.Uid, c.Gid)));

        var kept = new RecordingOwnerOps();
        var owned = new TarBuilder().Add(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "g")
        {
            Uid = 1234,
            Gid = 2345,
            DataStream = new MemoryStream("y"u8.ToArray()),
        });
        Extract(owned, new ExtractionOptions(), kept);
        Assert.Equal((Path.Combine(_root, "g"), 1234, 2345), Assert.Single(kept.Calls));
    }

    private sealed class RecordingOwnerOps : IFileSystemOps
    {
        public List<(string Path, int Uid, int Gid)> Calls { get; } = [];
        public void Lchown(string path, int uid, int gid) => Calls.Add((path, uid, gid));
        public void Mknod(string path, SpecialFileKind kind, UnixFileMode mode, int major, int minor) => throw new NotSupportedException();
        public void Link(string existingPath, string newPath) => throw new NotSupportedException();
        public void SetXattr(string path, string name, ReadOnlySpan<byte> value) => throw new NotSupportedException();
    }
}
