using Wharf.Linux.Host;

namespace Wharf.Linux.Tests;

public sealed class HostSecurityFactsTests
{
    [Fact]
    public void Parse_StatusWithCapBnd_ReadsTheMask()
    {
        Assert.Equal(0x1fffeffffffUL, CapabilityBoundingSet.Parse("Name:\tx\nCapInh:\t0000000000000000\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n"));
        Assert.Null(CapabilityBoundingSet.Parse("Name:\tx\n"));
    }

    [Fact]
    public void ReadSelf_OnThisHost_HoldsCapChown()
    {
        Assert.NotEqual(0UL, CapabilityBoundingSet.ReadSelf() & 1UL);
    }

    [Fact]
    public void Find_DevNull_IsCharacterDeviceOneThree()
    {
        var devices = new LinuxHostDevices();
        var null_ = devices.Find("/dev/null");

        Assert.NotNull(null_);
        Assert.Equal(('c', 1L, 3L), (null_!.Type, null_.Major, null_.Minor));
        Assert.Equal(0x1b6u, null_.FileMode); // 0666
        Assert.Null(devices.Find("/dev/wharf-does-not-exist"));
        Assert.Equal("not a device node", Assert.Throws<InvalidOperationException>(() => devices.Find("/etc/hostname")).Message);
    }

    [Fact]
    public void All_HostDev_ListsDeviceNodesButNotPtsOrConsole()
    {
        var all = new LinuxHostDevices().All();

        Assert.Contains(all, d => d.Path == "/dev/null" && d.Type == 'c');
        Assert.Contains(all, d => d.Path == "/dev/zero");
        Assert.DoesNotContain(all, d => d.Path.StartsWith("/dev/pts/", StringComparison.Ordinal) || d.Path == "/dev/console");
    }
}
