using Wharf.Linux.Mounts;

namespace Wharf.Linux.Tests;

public sealed class MountOptionParserTests
{
    [Fact]
    public void Parse_Overlay_JoinsDataOptionsInOrder()
    {
        var parsed = MountOptionParser.Parse("overlay", ["lowerdir=/l1:/l2", "upperdir=/u", "workdir=/w", "nodev"]);

        Assert.Equal("lowerdir=/l1:/l2,upperdir=/u,workdir=/w", parsed.Data);
        Assert.Equal(MountFlags.NoDev, parsed.Flags);
        Assert.False(parsed.IsBind);
    }

    [Fact]
    public void Parse_FlagWords_MapToMsFlags()
    {
        var parsed = MountOptionParser.Parse("tmpfs", ["ro", "nosuid", "nodev", "noexec", "size=64m", "mode=1777"]);

        Assert.Equal(MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, parsed.Flags);
        Assert.Equal("size=64m,mode=1777", parsed.Data);
    }

    [Fact]
    public void Parse_ClearingWord_UndoesEarlierFlag()
    {
        var parsed = MountOptionParser.Parse("tmpfs", ["ro", "nosuid", "rw"]);

        Assert.Equal(MountFlags.NoSuid, parsed.Flags);
        Assert.Null(parsed.Data);
    }

    [Fact]
    public void Parse_RbindRo_IsRecursiveBindWithReadOnlyRemount()
    {
        var parsed = MountOptionParser.Parse("none", ["rbind", "ro", "rprivate"]);

        Assert.True(parsed.IsBind);
        Assert.Equal(MountFlags.Bind | MountFlags.Recursive | MountFlags.ReadOnly, parsed.Flags);
        Assert.Equal(MountFlags.ReadOnly, parsed.RemountFlags);
        Assert.Equal(MountFlags.Private | MountFlags.Recursive, parsed.Propagation);
    }

    [Fact]
    public void Parse_TypeBindWithoutOption_IsStillBind()
    {
        var parsed = MountOptionParser.Parse("bind", []);

        Assert.True(parsed.IsBind);
        Assert.Equal(MountFlags.Bind, parsed.Flags);
        Assert.Equal(MountFlags.None, parsed.RemountFlags);
    }
}
