using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Volumes;
using Wharf.TestKit;
using Xunit;

namespace Wharf.Engine.Tests.Volumes;

/// <summary>Volumes a plugin knows but this daemon has not seen (VolumeDriver.List/Get), and local volumes whose
/// device is an image file (loop devices).</summary>
public sealed class VolumeServicePluginListAndLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-volumes-plugins");
    private readonly RecordingMountOps _mounts = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void List_MergesPluginVolumes_AndReportsFailingPluginsAsWarnings()
    {
        var plugins = new FakePlugins();
        plugins.Volumes["remote"] = [new PluginVolume("pv1", "/mnt/pv1"), new PluginVolume("shared", "")];
        plugins.Failing.Add("broken");
        plugins.NotVolumeDrivers.Add("netplugin");
        var service = new VolumeService(_temp.Path, _mounts, TimeProvider.System, plugins);
        service.Create("shared", "local", null, null); // known locally: the local record wins

        var warnings = new List<string>();
        var all = service.List(FilterSet.Parse(""), warnings);
        Assert.Equal(["pv1", "shared"], all.Select(v => v.Name));
        Assert.Equal(("remote", "/mnt/pv1"), (all[0].Driver, all[0].Mountpoint));
        Assert.Equal("local", all[1].Driver);
        Assert.Equal(["list: VolumeDriver.List: plugin broken did not answer within 1s"], warnings);
        Assert.Equal(["pv1"], service.List(FilterSet.From(("driver", "remote")), []).Select(v => v.Name));
        // Adopted in memory only: the plugin stays the owner, nothing is written under the data root.
        Assert.False(Directory.Exists(_temp.Combine("volumes", "pv1")));
    }

    [Fact]
    public void Get_UnknownName_AsksThePluginsAndRemoveGoesToTheOwner()
    {
        var plugins = new FakePlugins();
        plugins.Volumes["remote"] = [new PluginVolume("late", "/mnt/late")];
        var service = new VolumeService(_temp.Path, _mounts, TimeProvider.System, plugins);
        var found = service.Get("late");
        Assert.Equal(("late", "remote", "/mnt/late"), (found.Name, found.Driver, found.Mountpoint));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => service.Get("nowhere")).Kind);

        var fresh = new VolumeService(_temp.Path, _mounts, TimeProvider.System, plugins);
        fresh.Remove("late", force: false);
        Assert.Equal(["remote/late"], plugins.Removed);
    }

    [Fact]
    public void Create_WithoutDriver_UsesAVolumeAPluginAlreadyHas_AsDocker()
    {
        var plugins = new FakePlugins();
        plugins.Volumes["remote"] = [new PluginVolume("data", "/mnt/data")];
        var service = new VolumeService(_temp.Path, _mounts, TimeProvider.System, plugins);

        // `docker run -v data:/x` on a daemon that has not listed the plugin's volumes yet.
        var implicitVolume = service.Create("data", null, null, null);
        Assert.Equal(("data", "remote"), (implicitVolume.Name, implicitVolume.Driver));
        Assert.False(Directory.Exists(_temp.Combine("volumes", "data")));
        // A name no plugin has is a new local volume; naming the local driver never asks the plugins.
        Assert.Equal("local", service.Create("other", null, null, null).Driver);
        Assert.Equal(ErrorKind.Conflict, EngineExceptionKindOf(() => service.Create("data", "local", null, null)));
    }

    private static ErrorKind EngineExceptionKindOf(Action action) => Assert.Throws<EngineException>(action).Kind;

    [Fact]
    public void Acquire_ImageFileDevice_MountsThroughALoopDeviceAndLetsGoOfIt()
    {
        var loops = new FakeLoops();
        var image = _temp.Combine("disk.img");
        File.WriteAllText(image, "");
        loops.Images.Add(image);
        var service = new VolumeService(_temp.Path, _mounts, TimeProvider.System, loops: loops);
        var volume = service.Create("img", null, new Dictionary<string, string> { ["type"] = "ext4", ["device"] = image, ["o"] = "loop,noatime" }, null);

        service.Acquire("img", "c1");
        var mount = Assert.Single(_mounts.Mounts);
        Assert.Equal(("ext4", "/dev/loop7", volume.Mountpoint), (mount.Type, mount.Source, mount.Target));
        Assert.Equal(["noatime"], mount.Options);
        Assert.Equal([(image, false)], loops.Attached);
        Assert.Equal(1, loops.Disposed); // the mount holds the device now; autoclear frees it at unmount
        service.Release("img", "c1");
        Assert.Equal([volume.Mountpoint], _mounts.Unmounts);

        // A block device (not an image file) is mounted as it is.
        var block = service.Create("blk", null, new Dictionary<string, string> { ["type"] = "ext4", ["device"] = "/dev/sdz1", ["o"] = "ro" }, null);
        service.Acquire("blk", "c2");
        Assert.Equal("/dev/sdz1", _mounts.Mounts[^1].Source);
        Assert.Single(loops.Attached);

        // A mount that fails still lets go of the loop device.
        _mounts.FailNextMounts = 1;
        service.Create("img2", null, new Dictionary<string, string> { ["type"] = "ext4", ["device"] = image, ["o"] = "ro" }, null);
        Assert.Throws<IOException>(() => service.Acquire("img2", "c3"));
        Assert.Equal((image, true), loops.Attached[^1]);
        Assert.Equal(2, loops.Disposed);
    }

    private sealed class FakeLoops : ILoopDevices
    {
        public HashSet<string> Images { get; } = new(StringComparer.Ordinal);
        public List<(string Image, bool ReadOnly)> Attached { get; } = [];
        public int Disposed { get; set; }

        public bool IsImageFile(string path) => Images.Contains(path);

        public ILoopAttachment Attach(string imageFile, bool readOnly)
        {
            Attached.Add((imageFile, readOnly));
            return new Attachment(this);
        }

        private sealed class Attachment(FakeLoops owner) : ILoopAttachment
        {
            public string DevicePath => "/dev/loop7";
            public void Dispose() => owner.Disposed++;
        }
    }

    private sealed class FakePlugins : IVolumePluginClient
    {
        public Dictionary<string, List<PluginVolume>> Volumes { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);
        public HashSet<string> NotVolumeDrivers { get; } = new(StringComparer.Ordinal);
        public List<string> Removed { get; } = [];

        public IReadOnlyList<string> DiscoverDrivers() => [.. Volumes.Keys, .. Failing, .. NotVolumeDrivers];

        public IReadOnlyList<PluginVolume> List(string driver)
        {
            if (Failing.Contains(driver)) throw new EngineException(ErrorKind.Unknown, $"list: VolumeDriver.List: plugin {driver} did not answer within 1s");
            if (NotVolumeDrivers.Contains(driver)) throw EngineException.NotFound($"plugin \"{driver}\" does not implement VolumeDriver");
            return Volumes[driver];
        }

        public PluginVolume? Get(string driver, string name) =>
            Volumes.TryGetValue(driver, out var volumes) ? volumes.FirstOrDefault(v => v.Name == name) : null;

        public void Create(string driver, string name, IReadOnlyDictionary<string, string> options) => throw new NotSupportedException();
        public void Remove(string driver, string name) => Removed.Add(driver + "/" + name);
        public string Mount(string driver, string name, string mountId) => throw new NotSupportedException();
        public void Unmount(string driver, string name, string mountId) => throw new NotSupportedException();
    }
}
