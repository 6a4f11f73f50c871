using Wharf.Core.Errors;
using Wharf.Engine.Containers.Spec;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

public sealed class UserResolverTests
{
    private const string Passwd =
        "root:x:0:0:root:/root:/bin/sh\n" +
        "# comment\n" +
        "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n" +
        "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n";

    private const string Group =
        "root:x:0:\n" +
        "wheel:x:10:root,alice\n" +
        "alice:x:1000:\n" +
        "staff:x:50:alice\n" +
        "short:x:60\n";

    [Fact]
    public void Resolve_Empty_IsRootWithGroupsListingRoot()
    {
        var user = UserResolver.Resolve("", Passwd, Group);

        Assert.Equal((0u, 0u), (user.Uid, user.Gid));
        Assert.Equal([10u], user.AdditionalGids);
        Assert.Equal("/root", user.Home);
    }

    [Fact]
    public void Resolve_Name_UsesPasswdUidGidAndMemberships()
    {
        var user = UserResolver.Resolve("alice", Passwd, Group);

        Assert.Equal((1000u, 1000u), (user.Uid, user.Gid));
        Assert.Equal([10u, 50u], user.AdditionalGids);
    }

    [Fact]
    public void Resolve_NumericUidInPasswd_TakesEntryGid()
    {
        var user = UserResolver.Resolve("1", Passwd, Group);
        Assert.Equal((1u, 1u), (user.Uid, user.Gid));
    }

    [Fact]
    public void Resolve_NumericUidNotInPasswd_IsFineWithGidZero()
    {
        var user = UserResolver.Resolve("4242", Passwd, Group);

        Assert.Equal((4242u, 0u), (user.Uid, user.Gid));
        Assert.Empty(user.AdditionalGids);
    }

    [Fact]
    public void Resolve_NameColonGroupName_UsesGroupAndNoSupplementaries()
    {
        var user = UserResolver.Resolve("alice:staff", Passwd, Group);

        Assert.Equal((1000u, 50u), (user.Uid, user.Gid));
        Assert.Empty(user.AdditionalGids);
    }

    [Fact]
    public void Resolve_UidColonGid_NeedsNoFiles()
    {
        var user = UserResolver.Resolve("123:456", null, null);
        Assert.Equal((123u, 456u), (user.Uid, user.Gid));
    }

    [Fact]
    public void Resolve_UidColonGroupName_ResolvesGroup()
    {
        var user = UserResolver.Resolve("77:short", Passwd, Group);
        Assert.Equal((77u, 60u), (user.Uid, user.Gid));
    }

    [Fact]
    public void Resolve_UnknownUser_ThrowsDockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => UserResolver.Resolve("bob", Passwd, Group));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("unable to find user bob: no matching entries in passwd file", e.Message);
    }

    [Fact]
    public void Resolve_NameWithoutPasswdFile_ThrowsDockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => UserResolver.Resolve("alice", null, null));
        Assert.Equal("unable to find user alice: no matching entries in passwd file", e.Message);
    }

    [Fact]
    public void Resolve_UnknownGroup_ThrowsDockersMessage()
    {
        var e = Assert.Throws<EngineException>(() => UserResolver.Resolve("alice:nogroup", Passwd, Group));
        Assert.Equal("unable to find group nogroup: no matching entries in group file", e.Message);
    }

    [Fact]
    public void ResolveInRootfs_MissingFiles_RootStillWorks()
    {
        var dir = Directory.CreateTempSubdirectory("wharf-user-").FullName;
        try
        {
            var user = UserResolver.ResolveInRootfs(dir, "");
            Assert.Equal((0u, 0u), (user.Uid, user.Gid));
            Assert.Empty(user.AdditionalGids);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ResolveInRootfs_AbsoluteSymlink_IsFollowedInsideRootfs()
    {
        var dir = Directory.CreateTempSubdirectory("wharf-user-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "etc"));
            Directory.CreateDirectory(Path.Combine(dir, "lib"));
            File.WriteAllText(Path.Combine(dir, "lib", "passwd"), "svc:x:500:501::/srv:/bin/sh\n");
            File.CreateSymbolicLink(Path.Combine(dir, "etc", "passwd"), "/lib/passwd");

            var user = UserResolver.ResolveInRootfs(dir, "svc");

            Assert.Equal((500u, 501u), (user.Uid, user.Gid));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
