using Wharf.Core.Errors;
using Wharf.Engine.Containers.Archive;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Volumes;

/// <summary>docker cp -a: the owner comes from the container's own passwd/group, never the host's. The files are
/// read through the root confinement (ThreadRootConfinementTests prove that a link out of the root, a FIFO or a
/// device there is never followed or opened).</summary>
public sealed class ArchiveOwnerTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-cp-owner");
    private readonly RecordingRootConfinement _confinement = new();

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
    public async Task Resolve_UserForms_UseTheContainersFiles()
    {
        var root = Root("root:x:0:0:root:/root:/bin/sh\napp:x:4321:8765::/home/app:/bin/sh\n", "root:x:0:\nstaff:x:50:app\n");
        Assert.Equal((4321, 8765), await ArchiveOwner.ResolveAsync(_confinement, root, "app"));
        Assert.Equal((4321, 50), await ArchiveOwner.ResolveAsync(_confinement, root, "app:staff"));
        Assert.Equal((77, 88), await ArchiveOwner.ResolveAsync(_confinement, root, "77:88"));
        Assert.Equal((4321, 8765), await ArchiveOwner.ResolveAsync(_confinement, root, "4321"));
        // No configured user: Docker keeps the archive's ownership.
        Assert.Null(await ArchiveOwner.ResolveAsync(_confinement, root, ""));
        var unknown = await Assert.ThrowsAsync<EngineException>(() => ArchiveOwner.ResolveAsync(_confinement, root, "nobody-here"));
        Assert.Contains("unable to find user nobody-here", unknown.Message);
    }

    [Fact]
    public async Task Resolve_ReadsBothFilesInTheContainersRoot()
    {
        var root = Root("app:x:1:1::/:/bin/sh\n", "");
        await ArchiveOwner.ResolveAsync(_confinement, root, "app");
        Assert.Equal([(root, "/etc/passwd"), (root, "/etc/group")], _confinement.Reads);
    }
}
