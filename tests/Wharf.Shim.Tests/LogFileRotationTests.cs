using System.IO.Compression;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Shim.Tests;

/// <summary>Moving a full log aside as Docker does: .1 is the newest, the oldest beyond max-file goes.</summary>
public sealed class LogFileRotationTests
{
    [Fact]
    public void Rotate_ThreeFiles_ShiftsUpAndDropsTheOldest()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log");
        File.WriteAllText(path, "live");
        File.WriteAllText(path + ".1", "one");
        File.WriteAllText(path + ".2", "two");

        LogFileRotation.Rotate(path, maxFiles: 3, compress: false);

        Assert.False(File.Exists(path));
        Assert.Equal("live", File.ReadAllText(path + ".1"));
        Assert.Equal("one", File.ReadAllText(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
    }

    [Fact]
    public void Rotate_Compress_LeavesAWholeGzipAndNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log");
        File.WriteAllText(path, "live text");

        LogFileRotation.Rotate(path, maxFiles: 2, compress: true);

        using var gz = new StreamReader(new GZipStream(File.OpenRead(path + ".1.gz"), CompressionMode.Decompress));
        Assert.Equal("live text", gz.ReadToEnd());
        Assert.Equal(["log.1.gz"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Rotate_OneFile_StartsOverInPlace()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("log");
        File.WriteAllText(path, "live");

        LogFileRotation.Rotate(path, maxFiles: 1, compress: false);

        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
