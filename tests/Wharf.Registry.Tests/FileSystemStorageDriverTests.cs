using Wharf.Registry.Storage;

namespace Wharf.Registry.Tests;

public sealed class FileSystemStorageDriverTests : StorageDriverConformance, IDisposable
{
    private readonly Wharf.TestKit.TempDirectory _root = new("wharf-registry-fs");

    public FileSystemStorageDriverTests() => Driver = new FileSystemStorageDriver(_root.Path);

    private protected override IStorageDriver Driver { get; }

    [Fact]
    public void PutContent_LeavesNoTemporaryFiles()
    {
        Driver.PutContent("dir/file", "x"u8);
        Assert.Equal(["file"], Directory.GetFiles(_root.Combine("dir")).Select(Path.GetFileName));
    }

    public void Dispose() => _root.Dispose();
}
