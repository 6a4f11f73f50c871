using System.Diagnostics;
using Wharf.Linux.Files;

namespace Wharf.Linux.Tests;

/// <summary>Privileged: ownership, device nodes, fifos, hard links and xattrs on a real filesystem.</summary>
public sealed class FileMetadataTests
{
    [Theory]
    [InlineData(1, 3, 0x103UL)]
    [InlineData(136, 5, 0x8805UL)]
    [InlineData(4095, 255, 0xFFFFFUL)]
    [InlineData(4096, 256, 0x0000_1000_0010_0000UL)]
    public void MakeDev_MatchesGlibcEncoding(int major, int minor, ulong expected) =>
        Assert.Equal(expected, FileMetadata.MakeDev(major, minor));

    [Fact]
    public void Lchown_ChangesTheLinkNotItsTarget()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("file");
        File.WriteAllText(file, "x");
        var link = temp.Combine("link");
        File.CreateSymbolicLink(link, file);

        FileMetadata.Lchown(link, 1234, 4321);
        FileMetadata.Lchown(file, 1000, 1001);

        Assert.Equal("1234:4321", Stat("%u:%g", link));
        Assert.Equal("1000:1001", Stat("%u:%g", file));
    }

    [Fact]
    public void Mknod_CreatesDevicesAndFifos()
    {
        using var temp = new TempDirectory();
        FileMetadata.Mknod(temp.Combine("null"), 'c', (UnixFileMode)0b110_110_110, 1, 3);
        FileMetadata.Mknod(temp.Combine("pipe"), 'p', (UnixFileMode)0b110_100_000, 0, 0);

        Assert.Equal("character special file 1,3 666", Stat("%F %Hr,%Lr %a", temp.Combine("null")));
        Assert.Equal("fifo 640", Stat("%F %a", temp.Combine("pipe")));
        var e = Assert.Throws<SyscallException>(() => FileMetadata.Mknod(temp.Combine("null"), 'c', 0, 1, 3));
        Assert.Contains("mknod", e.Message);
    }

    [Fact]
    public void LinkAndXattr_Work()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("a");
        File.WriteAllText(file, "shared");
        FileMetadata.Link(file, temp.Combine("b"));
        Assert.Equal("2", Stat("%h", file));
        Assert.Equal("shared", File.ReadAllText(temp.Combine("b")));

        FileMetadata.SetXattr(file, "trusted.wharf.test", "y"u8);
        Assert.Throws<SyscallException>(() => FileMetadata.SetXattr(temp.Combine("missing"), "trusted.wharf.test", "y"u8));
    }

    private static string Stat(string format, string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }
}
