using System.Runtime.InteropServices;
using Wharf.Linux.Host;
using Wharf.Linux.Mounts;

namespace Wharf.Linux.Tests;

public sealed class HostFactsReaderTests
{
    [Fact]
    public void DetectCgroupVersion_HybridHost_IsOne()
    {
        var mounts = MountInfo.Parse(
            "25 22 0:22 / /sys/fs/cgroup ro - tmpfs tmpfs ro\n" +
            "26 25 0:23 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n" +
            "27 25 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");

        Assert.Equal("1", HostFactsReader.DetectCgroupVersion(mounts));
    }

    [Fact]
    public void DetectCgroupVersion_UnifiedHost_IsTwo()
    {
        var mounts = MountInfo.Parse("25 22 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n");

        Assert.Equal("2", HostFactsReader.DetectCgroupVersion(mounts));
    }

    [Theory]
    [InlineData("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", "Debian GNU/Linux 12 (bookworm)")]
    [InlineData("PRETTY_NAME='Alpine Linux v3.20'\n", "Alpine Linux v3.20")]
    [InlineData("PRETTY_NAME=Plain\n", "Plain")]
    [InlineData("NAME=x\n", null)]
    public void ParsePrettyName_OsRelease_ReturnsUnquotedValue(string osRelease, string? expected)
    {
        Assert.Equal(expected, HostFactsReader.ParsePrettyName(osRelease));
    }

    [Fact]
    public void ParseMemTotal_KilobyteLine_ReturnsBytes()
    {
        Assert.Equal(2048L * 1024, HostFactsReader.ParseMemTotal("MemFree: 1 kB\nMemTotal:        2048 kB\n"));
        Assert.Equal(0, HostFactsReader.ParseMemTotal("nothing"));
    }

    [Fact]
    public void Read_ThisHost_ReturnsPlausibleFacts()
    {
        var facts = HostFactsReader.Read();

        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), facts.KernelVersion);
        Assert.False(string.IsNullOrWhiteSpace(facts.OperatingSystem));
        Assert.Equal(Environment.ProcessorCount, facts.NCPU);
        Assert.True(facts.MemTotal > 64L * 1024 * 1024);
        Assert.Equal("cgroupfs", facts.CgroupDriver);
        Assert.False(string.IsNullOrWhiteSpace(facts.Hostname));
        if (RuntimeInformation.OSArchitecture == Architecture.X64)
            Assert.Equal("x86_64", facts.Architecture);

        // Cross-check with /proc/mounts, an independent view of the same mount table.
        var cgroupFsType = File.ReadAllLines("/proc/mounts").Select(l => l.Split(' '))
            .Where(f => f.Length > 2 && f[1] == "/sys/fs/cgroup").Select(f => f[2]).LastOrDefault();
        Assert.Equal(cgroupFsType == "cgroup2" ? "2" : "1", facts.CgroupVersion);
    }
}
