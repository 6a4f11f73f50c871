using Wharf.Engine.Storage;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Storage;

public sealed class DiskUsageTests
{
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

        Assert.Equal(15, DiskUsage.BytesBelow(tree.Path));
    }

    [Fact]
    public void BytesBelow_MissingDirectory_IsZero()
    {
        using var tree = new TempDirectory();
        Assert.Equal(0, DiskUsage.BytesBelow(tree.Combine("absent")));
    }
}
