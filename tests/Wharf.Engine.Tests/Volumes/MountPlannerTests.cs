using Xunit;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Volumes;

namespace Wharf.Engine.Tests.Volumes;

public sealed class MountPlannerTests
{
    private static IReadOnlyList<MountPlanner.PlannedMount> Plan(HostSettings host, ContainerConfig? config = null,
        Func<string, IReadOnlyList<MountPointRecord>>? mountsOf = null, Func<string, bool>? exists = null) =>
        MountPlanner.Plan(config ?? new ContainerConfig(), host, mountsOf ?? (_ => []), exists ?? (_ => true));

    [Fact]
    public void ParseBind_NamedVolumeHostPathAndModes_AreClassified()
    {
        var volume = MountPlanner.ParseBind("data:/var/lib/data");
        Assert.Equal(("volume", "data", "/var/lib/data", "z", true, true), (volume.Mount.Type, volume.Mount.Name, volume.Mount.Destination, volume.Mount.Mode, volume.Mount.RW, volume.Mount.CopyData));
        Assert.Equal("data", volume.Volume!.Name);

        var bind = MountPlanner.ParseBind("/srv/x/:/mnt:ro,rshared");
        Assert.Equal(("bind", "/srv/x", "/mnt", false, "rshared"), (bind.Mount.Type, bind.Mount.Source, bind.Mount.Destination, bind.Mount.RW, bind.Mount.Propagation));
        Assert.Null(bind.Volume);

        var nocopy = MountPlanner.ParseBind("vv:/d:nocopy");
        Assert.False(nocopy.Mount.CopyData);

        var anonymous = MountPlanner.ParseBind("/only/destination");
        Assert.Null(anonymous.Volume!.Name);
        Assert.True(anonymous.Volume.Labels.ContainsKey(VolumeRecord.AnonymousLabel));
    }

    [Theory]
    [InlineData("vv:relative", "mount path must be absolute")]
    [InlineData("vv:/d:bogus", "invalid mode: bogus")]
    [InlineData("vv:/d:ro,rw", "invalid mode: ro,rw")]
    [InlineData("v:/d", "includes invalid characters for a local volume name")]
    [InlineData("bad$name:/d", "includes invalid characters for a local volume name")]
    [InlineData("a:b:c:d", "invalid volume specification")]
    [InlineData("vv:/", "destination can't be '/'")]
    public void ParseBind_BadSpec_IsRejected(string spec, string message)
    {
        var error = Assert.Throws<EngineException>(() => MountPlanner.ParseBind(spec));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ParseMount_BindChecks_FollowDocker()
    {
        var missing = Assert.Throws<EngineException>(() => MountPlanner.ParseMount(new MountRequest { Type = "bind", Source = "/x", Target = "/y" }, "local", _ => false));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /x", missing.Message);
        var relative = Assert.Throws<EngineException>(() => MountPlanner.ParseMount(new MountRequest { Type = "bind", Source = "x", Target = "/y" }, "local", _ => true));
        Assert.Contains("mount path must be absolute", relative.Message);
        var unknown = Assert.Throws<EngineException>(() => MountPlanner.ParseMount(new MountRequest { Type = "nfs", Target = "/y" }, "local", _ => true));
        Assert.Equal("invalid mount config for type \"nfs\": mount type unknown", unknown.Message);
        var tmpfsSource = Assert.Throws<EngineException>(() => MountPlanner.ParseMount(new MountRequest { Type = "tmpfs", Source = "x", Target = "/y" }, "local", _ => true));
        Assert.Contains("field Source must not be specified", tmpfsSource.Message);
    }

    [Fact]
    public void ParseMount_Tmpfs_TranslatesSizeAndMode()
    {
        var tmpfs = MountPlanner.ParseMount(new MountRequest { Type = "tmpfs", Target = "/t", TmpfsSizeBytes = 1048576, TmpfsMode = Convert.ToInt32("1770", 8) }, "local", _ => true);
        Assert.Equal(["size=1048576", "mode=1770"], tmpfs.Mount.TmpfsOptions);
    }

    [Fact]
    public void Plan_PrecedenceOrderingAndDuplicates()
    {
        var host = new HostSettings
        {
            Binds = ["/host/a:/data/a", "named:/data"],
            Tmpfs = new() { ["/run/t"] = "size=1m" },
            VolumesFrom = ["other:ro"],
        };
        var config = new ContainerConfig { Volumes = ["/data", "/image/vol"] };
        var plan = Plan(host, config, name => name == "other"
            ? [new MountPointRecord { Type = "volume", Name = "shared", Destination = "/shared", Driver = "local", RW = true }]
            : throw EngineException.NoSuchContainer(name));
        Assert.Equal(["/data", "/shared", "/data/a", "/image/vol", "/run/t"], plan.Select(p => p.Mount.Destination).ToArray());
        Assert.Equal("named", plan[0].Mount.Name); // -v wins over the image's VOLUME at the same place
        Assert.False(plan.Single(p => p.Mount.Destination == "/shared").Mount.RW);
        Assert.True(plan.Single(p => p.Mount.Destination == "/image/vol").Volume!.Labels.ContainsKey(VolumeRecord.AnonymousLabel));

        var duplicate = Assert.Throws<EngineException>(() => Plan(new HostSettings { Binds = ["aa:/x", "bb:/x"] }));
        Assert.Equal("Duplicate mount point: /x", duplicate.Message);
    }
}

public sealed class PropagationCheckTests
{
    private const string MountInfo =
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" +
        "30 22 0:26 / /srv/private rw,relatime - tmpfs tmpfs rw\n" +
        "31 22 0:27 / /srv/slave rw,relatime master:5 - tmpfs tmpfs rw\n";

    [Fact]
    public void Ensure_SharedSourceOnSharedMount_Passes() => PropagationCheck.Ensure(MountInfo, "/home/x", "rshared");

    [Fact]
    public void Ensure_PrivateHostMount_ExplainsWhy()
    {
        var error = Assert.Throws<EngineException>(() => PropagationCheck.Ensure(MountInfo, "/srv/private/data", "rshared"));
        Assert.Equal("path /srv/private/data is mounted on /srv/private but it is not a shared mount", error.Message);
        Assert.Throws<EngineException>(() => PropagationCheck.Ensure(MountInfo, "/srv/private", "rslave"));
        PropagationCheck.Ensure(MountInfo, "/srv/slave/x", "rslave");
        PropagationCheck.Ensure(MountInfo, "/srv/private/x", "rprivate");
    }
}
