using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Store;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>docker ps --filter volume=: Docker matches a mount's volume name (a bind's source) or destination.</summary>
public sealed class VolumeFilterTests
{
    private static ContainerSnapshot Container(string name, params MountPointRecord[] mounts)
    {
        var c = new ContainerRecord { Id = name.PadRight(64, '0'), Name = name, ImageId = "sha256:busybox" };
        c.State.Status = "running";
        c.MountPoints.AddRange(mounts);
        return ContainerSnapshot.Of(c);
    }

    private static readonly ContainerSnapshot[] s_all =
    [
        Container("withvol", new MountPointRecord { Type = "volume", Name = "data", Source = "/var/lib/wharf/volumes/data/_data", Destination = "/srv" }),
        Container("withbind", new MountPointRecord { Type = "bind", Source = "/host/dir", Destination = "/mnt" }),
        Container("plain"),
    ];

    private static string[] Run(string json)
    {
        var filter = new ContainerFilter(FilterSet.Parse(json), _ => null, _ => null);
        return [.. s_all.Where(filter.Matches).Select(c => c.Name)];
    }

    [Fact]
    public void VolumeFilter_MatchesNameSourceOrDestination()
    {
        Assert.Equal(["withvol"], Run("""{"volume":["data"]}"""));
        Assert.Equal(["withvol"], Run("""{"volume":["/srv"]}"""));
        Assert.Equal(["withbind"], Run("""{"volume":["/host/dir"]}"""));
        Assert.Equal(["withbind"], Run("""{"volume":["/mnt"]}"""));
        Assert.Equal(["withvol", "withbind"], Run("""{"volume":["data","/mnt"]}"""));
        Assert.Empty(Run("""{"volume":["other"]}"""));
        Assert.Equal(3, Run("{}").Length);
    }
}
