using Wharf.Core.Errors;
using Wharf.Engine.Containers.Archive;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Volumes;

/// <summary>docker cp -a: the owner comes from the container's own passwd/group, never the host's.</summary>
public sealed class ArchiveOwnerTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-cp-owner");

    public void Dispose() => _temp.Dispose();

    private string Root(string passwd, string group)
    {
        var root = _temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), passwd);
        File.WriteAllText(Path.Combine(root, "etc", "group"), group);
        return root;
    }

    [Fact]
    public void Resolve_UserForms_UseTheContainersFiles()
    {
        var root = Root("root:x:0:0:root:/root:/bin/sh\napp:x:4321:8765::/home/app:/bin/sh\n", "root:x:0:\nstaff:x:50:app\n");
        Assert.Equal((4321, 8765), ArchiveOwner.Resolve(root, "app"));
        Assert.Equal((4321, 50), ArchiveOwner.Resolve(root, "app:staff"));
        Assert.Equal((77, 88), ArchiveOwner.Resolve(root, "77:88"));
        Assert.Equal((4321, 8765), ArchiveOwner.Resolve(root, "4321"));
        // No configured user: Docker keeps the archive's ownership.
        Assert.Null(ArchiveOwner.Resolve(root, ""));
        var unknown = Assert.Throws<EngineException>(() => ArchiveOwner.Resolve(root, "nobody-here"));
        Assert.Contains("unable to find user nobody-here", unknown.Message);
    }

    [Fact]
    public void Resolve_PasswdSymlinkedOutOfTheRoot_StaysInside()
    {
        var root = _temp.Combine("evil");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "host", "etc"));
        // The host's own passwd must never be consulted: a link to "/etc/passwd" of the host resolves inside.
        var outside = _temp.Combine("outside-passwd");
        File.WriteAllText(outside, "app:x:1:1::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(root, "etc", "passwd"), "../../../../../../../.." + outside);
        var error = Assert.Throws<EngineException>(() => ArchiveOwner.Resolve(root, "app"));
        Assert.Contains("unable to find user app", error.Message);
    }
}
