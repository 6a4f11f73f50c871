using Wharf.Engine.Layers;
using Wharf.Engine.Storage;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Storage;

public sealed class DiskUsageTests
{
    private static readonly ManagedFileInspector Inspector = new();

    [Fact]
    public void BytesBelow_CountsRegularFilesOnly_AndNeverEntersSymlinkedDirectories()
    {
        using var tree = new TempDirectory();
        using var elsewhere = new TempDirectory();
        File.WriteAllBytes(elsewhere.Combine("big"), new byte[4096]);
        Directory.CreateDirectory(tree.Combine("a", "b"));
        File.WriteAllBytes(tree.Combine("top"), new byte[10]);
        File.WriteAllBytes(tree.Combine("a", "b", "deep"), new byte[5]);
        // What a container can do in its writable layer or a volume: links to a directory outside (the host's "/")
        // and to a file outside.
        File.CreateSymbolicLink(tree.Combine("a", "escape"), elsewhere.Path);
        File.CreateSymbolicLink(tree.Combine("filelink"), elsewhere.Combine("big"));

        Assert.Equal(15, DiskUsage.BytesBelow(tree.Path, Inspector));
    }

    [Fact]
    public void BytesBelow_MissingDirectory_IsZero()
    {
        using var tree = new TempDirectory();
        Assert.Equal(0, DiskUsage.BytesBelow(tree.Combine("absent"), Inspector));
    }

    [Fact]
    public void BytesBelow_DirectorySwappedForALinkToTheHostMidWalk_CountsNothingOfTheHost()
    {
        using var tree = new TempDirectory();
        using var host = new TempDirectory();
        File.WriteAllBytes(host.Combine("host-file"), new byte[4096]);
        Directory.CreateDirectory(tree.Combine("d"));
        File.WriteAllBytes(tree.Combine("d", "inside"), new byte[7]);
        File.WriteAllBytes(tree.Combine("top"), new byte[3]);
        var swapping = new SwappingInspector(tree.Combine("d"), host.Path);

        var bytes = DiskUsage.BytesBelow(tree.Path, swapping);

        Assert.True(swapping.Swapped);
        Assert.Equal(3, bytes);
    }

    [Fact]
    public void BytesBelow_ATreeDeeperThanTheWalkGoes_IsCountedToItsDepthWithoutFailing()
    {
        using var tree = new TempDirectory();
        var path = tree.Path;
        for (var level = 1; level <= DiskUsage.MaxDepth + 50; level++)
        {
            path = Path.Combine(path, "d");
            Directory.CreateDirectory(path);
            if (level is 10 or DiskUsage.MaxDepth + 40) File.WriteAllBytes(Path.Combine(path, "f"), new byte[level]);
        }

        Assert.Equal(10, DiskUsage.BytesBelow(tree.Path, Inspector));
    }

    /// <summary>The managed inspector, except that once <paramref name="victim"/> has been seen as a directory the
    /// running container's move happens: it goes aside and a symlink to <paramref name="hostTarget"/> takes its name.</summary>
    private sealed class SwappingInspector(string victim, string hostTarget) : IFileInspector
    {
        public bool Swapped { get; private set; }

        public FileStat? LStat(string path)
        {
            var stat = Inspector.LStat(path);
            if (!Swapped && path == victim && stat is { IsDirectory: true })
            {
                Directory.Move(victim, victim + ".aside");
                File.CreateSymbolicLink(victim, hostTarget);
                Swapped = true;
            }
            return stat;
        }

        public IReadOnlyList<KeyValuePair<string, byte[]>> ListXattrs(string path) => [];

        public DirectoryPin? PinDirectory(string path) => Inspector.PinDirectory(path);
    }
}
