using System.Formats.Tar;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Tests.Images;
using Xunit;

namespace Wharf.Engine.Tests.Snapshots;

public sealed class LayerApplierTests : IDisposable
{
    private readonly ImageTestDirectory _dir = new();
    private readonly string _root;

    public LayerApplierTests()
    {
        _root = _dir.Combine("root");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _dir.Dispose();

    private LayerApplyResult Apply(TarBuilder builder, IFileSystemOps? ops = null, bool hasParent = false) =>
        new LayerApplier(ops ?? new ManagedFileSystemOps()).Apply(new MemoryStream(builder.Build()), _root, hasParent);

    private string At(string relative) => Path.Combine(_root, relative);

    [Fact]
    public void Apply_SpecialModeBits_Preserved()
    {
        if (OperatingSystem.IsWindows()) return;
        var builder = new TarBuilder()
            .Directory("tmp/", (UnixFileMode)Convert.ToInt32("1777", 8))
            .Directory("ro/", (UnixFileMode)Convert.ToInt32("555", 8))
            .File("ro/inside", "x", (UnixFileMode)Convert.ToInt32("444", 8))
            .File("bin/su", "su", (UnixFileMode)Convert.ToInt32("4755", 8))
            .File("bin/wall", "wall", (UnixFileMode)Convert.ToInt32("2755", 8));

        Apply(builder);

        Assert.Equal(Convert.ToInt32("1777", 8), (int)File.GetUnixFileMode(At("tmp")));
        Assert.Equal(Convert.ToInt32("555", 8), (int)File.GetUnixFileMode(At("ro")));
        Assert.Equal(Convert.ToInt32("444", 8), (int)File.GetUnixFileMode(At("ro/inside")));
        Assert.Equal(Convert.ToInt32("4755", 8), (int)File.GetUnixFileMode(At("bin/su")));
        Assert.Equal(Convert.ToInt32("2755", 8), (int)File.GetUnixFileMode(At("bin/wall")));
        Assert.Equal(Convert.ToInt32("755", 8), (int)File.GetUnixFileMode(At("bin")));
    }

    [Fact]
    public void Apply_GnuArchiveWithDotSlashRootEntryAndLongNames_Extracted()
    {
        var longName = "./usr/share/" + string.Join('/', Enumerable.Repeat("very-long-directory-name", 8)) + "/file.txt";
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "./") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, "./usr/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream("deep"u8.ToArray()) });
            writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, "./usr/link") { LinkName = "/" + new string('t', 150) });
        }

        new LayerApplier(new ManagedFileSystemOps()).Apply(new MemoryStream(buffer.ToArray()), _root, hasParent: false);

        Assert.Equal("deep", File.ReadAllText(At(longName[2..])));
        Assert.Equal("/" + new string('t', 150), new FileInfo(At("usr/link")).LinkTarget);
    }

    [Fact]
    public void Apply_Mtimes_PreservedForFilesAndDirectories()
    {
        var fileTime = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

        Apply(new TarBuilder().Directory("d/").File("d/f", "content", mtime: fileTime));

        Assert.Equal(fileTime.UtcDateTime, File.GetLastWriteTimeUtc(At("d/f")));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), Directory.GetLastWriteTimeUtc(At("d")));
    }

    [Fact]
    public void Apply_Stream_DiffIdIsSha256OfAllBytesAndSizeCountsFileData()
    {
        var builder = new TarBuilder().File("a", "12345").File("b", "678").Symlink("c", "a");
        var bytes = builder.Build();

        var result = new LayerApplier(new ManagedFileSystemOps()).Apply(new MemoryStream(bytes), _root, hasParent: false);

        Assert.Equal(Digest.Compute(bytes), result.DiffId);
        Assert.Equal(8, result.Size);
    }

    [Fact]
    public void Apply_Ownership_RequestedThroughLchown()
    {
        var ops = new RecordingFileSystemOps();
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "owned") { Uid = 1000, Gid = 50, Mode = (UnixFileMode)Convert.ToInt32("644", 8), DataStream = new MemoryStream([1]) };

        Apply(new TarBuilder().Add(entry), ops);

        Assert.Contains((At("owned"), 1000, 50), ops.Chowns);
    }

    [Fact]
    public void Apply_HardLinkWithoutLinkSupport_CopiesContent()
    {
        Apply(new TarBuilder().File("bin/busybox", "BB", (UnixFileMode)Convert.ToInt32("755", 8)).HardLink("bin/ls", "./bin/busybox"));

        Assert.Equal("BB", File.ReadAllText(At("bin/ls")));
        Assert.Null(new FileInfo(At("bin/ls")).LinkTarget);
    }

    [Fact]
    public void Apply_HardLinkWithLinkSupport_UsesLink()
    {
        var ops = new RecordingFileSystemOps();

        Apply(new TarBuilder().File("a", "A").HardLink("b", "a"), ops);

        Assert.Equal([(At("a"), At("b"))], ops.Links);
    }

    [Fact]
    public void Apply_FifoWithoutMknod_SkippedAndCounted()
    {
        var result = Apply(new TarBuilder().Fifo("run/pipe").File("ok", "ok"));

        Assert.Equal(1, result.SkippedEntries);
        Assert.False(File.Exists(At("run/pipe")));
        Assert.True(File.Exists(At("ok")));
    }

    [Fact]
    public void Apply_DeviceNode_RequestedThroughMknod()
    {
        var ops = new RecordingFileSystemOps();
        var device = new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)Convert.ToInt32("666", 8) };

        Apply(new TarBuilder().Add(device), ops);

        Assert.Equal([(At("dev/null"), SpecialFileKind.CharacterDevice, 1, 3)], ops.Nodes);
    }

    [Fact]
    public void Apply_WhiteoutInBaseLayer_DeletesEarlierEntryAndLeavesNoMarker()
    {
        Apply(new TarBuilder().File("etc/a", "a").File("etc/b", "b").File("etc/.wh.a", ""));

        Assert.False(File.Exists(At("etc/a")));
        Assert.True(File.Exists(At("etc/b")));
        Assert.False(File.Exists(At("etc/.wh.a")));
    }

    [Fact]
    public void Apply_WhiteoutsAboveParent_BecomeOverlayCharDeviceAndOpaqueXattr()
    {
        var ops = new RecordingFileSystemOps();

        Apply(new TarBuilder().File("etc/.wh.gone", "").File("var/.wh..wh..opq", ""), ops, hasParent: true);

        Assert.Equal([(At("etc/gone"), SpecialFileKind.CharacterDevice, 0, 0)], ops.Nodes);
        Assert.Equal([(At("var"), "trusted.overlay.opaque", "y")], ops.Xattrs);
        Assert.False(File.Exists(At("var/.wh..wh..opq")));
    }

    [Fact]
    public void Apply_WhiteoutAboveParentWithoutMknod_NotImplemented()
    {
        var error = Assert.Throws<EngineException>(() => Apply(new TarBuilder().File(".wh.x", ""), hasParent: true));

        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
    }

    [Fact]
    public void Apply_FileReplacingSymlink_ReplacesLinkWithoutFollowingIt()
    {
        var outside = _dir.Combine("outside.txt");
        File.WriteAllText(outside, "original");

        Apply(new TarBuilder().Symlink("a", outside).File("a", "new"));

        Assert.Equal("original", File.ReadAllText(outside));
        Assert.Null(new FileInfo(At("a")).LinkTarget);
        Assert.Equal("new", File.ReadAllText(At("a")));
    }

    [Fact]
    public void Apply_DirectoryReplacingSymlinkedDirectory_ChildrenStayInside()
    {
        var outside = _dir.Combine("outside-dir");
        Directory.CreateDirectory(outside);

        Apply(new TarBuilder().Symlink("d", outside).Directory("d/").File("d/f", "inside"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Null(new DirectoryInfo(At("d")).LinkTarget);
        Assert.Equal("inside", File.ReadAllText(At("d/f")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs/path")]
    [InlineData("a/../../escape")]
    public void Apply_EscapingName_Rejected(string name)
    {
        var error = Assert.Throws<EngineException>(() => Apply(new TarBuilder().File(name, "x")));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.False(File.Exists(_dir.Combine("escape")));
    }

    [Fact]
    public void Apply_SymlinkParentEscape_Rejected()
    {
        var outside = _dir.Combine("target");
        Directory.CreateDirectory(outside);

        Assert.Throws<EngineException>(() => Apply(new TarBuilder().Symlink("link", outside).File("link/evil", "x")));
        Assert.Throws<EngineException>(() => Apply(new TarBuilder().Symlink("rel", "../target").File("rel/evil", "x")));

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public void Apply_HardLinkThroughSymlinkedParent_Rejected()
    {
        var outside = _dir.Combine("secret");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "key"), "secret");

        var error = Assert.Throws<EngineException>(() =>
            Apply(new TarBuilder().Symlink("s", outside).HardLink("stolen", "s/key")));

        Assert.Contains("escapes", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(At("stolen")));
    }
}
