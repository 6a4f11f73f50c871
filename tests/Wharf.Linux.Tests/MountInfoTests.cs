using Wharf.Linux.Mounts;

namespace Wharf.Linux.Tests;

public sealed class MountInfoTests
{
    private const string Sample =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n" +
        "25 22 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n" +
        "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n" +
        "90 22 0:50 / /var/lib/my\\040dir rw,relatime - overlay overlay rw,lowerdir=/a:/b,upperdir=/u,workdir=/w\n" +
        "91 22 0:51 /sub /mnt/x rw - tmpfs none rw\n";

    [Fact]
    public void Parse_SampleLines_ReadsFieldsAfterSeparator()
    {
        var entries = MountInfo.Parse(Sample);

        Assert.Equal(5, entries.Count);
        var overlay = entries[3];
        Assert.Equal(90, overlay.MountId);
        Assert.Equal(22, overlay.ParentId);
        Assert.Equal("/var/lib/my dir", overlay.MountPoint);
        Assert.Equal("overlay", overlay.FileSystemType);
        Assert.Equal("overlay", overlay.Source);
        Assert.Equal("/", overlay.Root);
        Assert.Equal("cgroup2", entries[2].FileSystemType);
        Assert.Equal("ro,nosuid,nodev,noexec", entries[1].Options);
        // no optional fields at all
        Assert.Equal("/mnt/x", entries[4].MountPoint);
        Assert.Equal("/sub", entries[4].Root);
        Assert.Equal("none", entries[4].Source);
    }

    [Fact]
    public void Parse_MalformedLine_IsSkipped()
    {
        var entries = MountInfo.Parse("garbage line\n" + Sample);

        Assert.Equal(5, entries.Count);
    }

    [Theory]
    [InlineData(@"/a\040b", "/a b")]
    [InlineData(@"/tab\011x", "/tab\tx")]
    [InlineData(@"/back\134slash", @"/back\slash")]
    [InlineData(@"/plain", "/plain")]
    [InlineData(@"/not\09octal", @"/not\09octal")]
    public void Unescape_OctalEscapes_AreDecoded(string field, string expected)
    {
        Assert.Equal(expected, MountInfo.Unescape(field));
    }

    [Fact]
    public void ReadSelf_OnThisHost_ContainsRootAndProc()
    {
        var entries = MountInfo.ReadSelf();

        Assert.Contains(entries, e => e.MountPoint == "/");
        Assert.Contains(entries, e => e.MountPoint == "/proc" && e.FileSystemType == "proc");
    }
}
