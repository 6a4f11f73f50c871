using Xunit;
using Wharf.Core.Errors;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Volumes;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Volumes;

public sealed class VolumeServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new("wharf-volumes");
    private readonly RecordingMountOps _mounts = new();
    private readonly FakeUsers _users = new();

    public void Dispose() => _temp.Dispose();

    private VolumeService NewService()
    {
        var service = new VolumeService(_temp.Path, _mounts, TimeProvider.System);
        service.AttachUsers(_users);
        return service;
    }

    [Fact]
    public void Create_NamedVolume_HasDockersLayoutAndSurvivesRestart()
    {
        var created = NewService().Create("data", null, null, new Dictionary<string, string> { ["a"] = "b" });
        Assert.Equal(_temp.Combine("volumes", "data", "_data"), created.Mountpoint);
        Assert.True(Directory.Exists(created.Mountpoint));
        var reloaded = NewService().Get("data");
        Assert.Equal(("local", "b"), (reloaded.Driver, reloaded.Labels["a"]));
    }

    [Fact]
    public void Create_WithoutName_Generates64HexAndIsIdempotentForNames()
    {
        var service = NewService();
        Assert.Matches("^[0-9a-f]{64}$", service.Create(null, null, null, null).Name);
        var first = service.Create("same", null, null, null);
        Assert.Same(first, service.Create("same", "local", null, null));
    }

    [Fact]
    public void Create_InvalidNameOrOption_IsRejected()
    {
        var service = NewService();
        Assert.Contains("includes invalid characters", Assert.Throws<EngineException>(() => service.Create("a/b", null, null, null)).Message);
        Assert.Contains("invalid option key: \"bogus\"", Assert.Throws<EngineException>(() => service.Create("vv", null, new Dictionary<string, string> { ["bogus"] = "1" }, null)).Message);
        var plugin = Assert.Throws<EngineException>(() => service.Create("vv", "nosuchplugin", null, null));
        Assert.Equal(ErrorKind.NotFound, plugin.Kind);
    }

    [Theory]
    [InlineData("x\n", "create x\\n: \"x\\n\" includes invalid characters for a local volume name")]
    [InlineData("a\u0001b", "create a\\x01b: \"a\\x01b\" includes invalid characters for a local volume name")]
    public void Create_NameWithControlCharacters_IsRefusedWithDockersWordingOnOneLine(string name, string start)
    {
        var error = Assert.Throws<EngineException>(() => NewService().Create(name, null, null, null));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith(start, error.Message, StringComparison.Ordinal);
        Assert.Contains("only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Create_HugeName_IsRefusedWithoutEchoingIt()
    {
        var error = Assert.Throws<EngineException>(() => NewService().Create(new string('a', 1024 * 1024), null, null, null));
        Assert.True(error.Message.Length < 200, error.Message[..Math.Min(200, error.Message.Length)]);
    }

    [Fact]
    public void Remove_InUse_Is409WithContainerIds()
    {
        var service = NewService();
        service.Create("busy", null, null, null);
        _users.Users["busy"] = ["c1", "c2"];
        var error = Assert.Throws<EngineException>(() => service.Remove("busy", force: true));
        Assert.Equal((ErrorKind.Conflict, "remove busy: volume is in use - [c1, c2]"), (error.Kind, error.Message));
        _users.Users.Clear();
        service.Remove("busy", force: false);
        Assert.False(Directory.Exists(_temp.Combine("volumes", "busy")));
        Assert.Equal("get busy: no such volume", Assert.Throws<EngineException>(() => service.Remove("busy", force: false)).Message);
        service.Remove("busy", force: true);
    }

    [Fact]
    public void Create_WithoutName_IsAnonymousAndPrunedByDefault()
    {
        var service = NewService();
        var unnamed = service.Create(null, null, null, null);
        service.Create("kept", null, null, null);
        Assert.True(unnamed.IsAnonymous);
        Assert.Equal([unnamed.Name], service.Prune(FilterSet.Empty).Deleted);
    }

    [Fact]
    public void ListAndPrune_Filters()
    {
        var service = NewService();
        service.Create("named", null, null, new Dictionary<string, string> { ["env"] = "prod" });
        var anonymous = service.Create(null, null, null, new Dictionary<string, string> { [VolumeRecord.AnonymousLabel] = "" });
        service.Create("used", null, null, null);
        _users.Users["used"] = ["c"];
        Assert.Equal(["named"], service.List(FilterSet.From(("label", "env=prod"))).Select(v => v.Name));
        Assert.DoesNotContain("used", service.List(FilterSet.From(("dangling", "true"))).Select(v => v.Name));
        Assert.Equal(["used"], service.List(FilterSet.From(("dangling", "false"))).Select(v => v.Name));
        Assert.Equal(["used"], service.List(FilterSet.From(("name", "use"))).Select(v => v.Name));

        File.WriteAllBytes(Path.Combine(anonymous.Mountpoint, "blob"), new byte[1000]);
        var (deleted, reclaimed) = service.Prune(FilterSet.Empty);
        Assert.Equal([anonymous.Name], deleted);
        Assert.Equal(1000, reclaimed);
        var (all, _) = service.Prune(FilterSet.From(("all", "true")));
        Assert.Equal(["named"], all);
    }

    [Fact]
    public async Task AcquireRelease_DeviceBackedVolume_MountsOnceAndUnmountsAfterLastUser()
    {
        var service = NewService();
        var volume = service.Create("tmp", null, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=10m" }, null);
        Assert.Equal(volume.Mountpoint, service.Acquire("tmp", "c1"));
        service.Acquire("tmp", "c2");
        var mount = Assert.Single(_mounts.Mounts);
        Assert.Equal(("tmpfs", "tmpfs", volume.Mountpoint), (mount.Type, mount.Source, mount.Target));
        Assert.Equal(["size=10m"], mount.Options);
        service.Release("tmp", "c1");
        Assert.Empty(_mounts.Unmounts);
        service.Release("tmp", "c2");
        Assert.Equal([volume.Mountpoint], _mounts.Unmounts);

        var bind = service.Create("bb", null, new Dictionary<string, string> { ["type"] = "none", ["o"] = "bind", ["device"] = "/srv" }, null);
        var bindMount = VolumeService.LocalMount(bind)!;
        Assert.Equal(("bind", "/srv", bind.Mountpoint, "bind"), (bindMount.Type, bindMount.Source, bindMount.Target, string.Join(',', bindMount.Options)));

        var usage = await service.UsageAsync();
        Assert.Equal(2, usage.Count);
    }

    private sealed class FakeUsers : IVolumeUsers
    {
        public Dictionary<string, List<string>> Users { get; } = new(StringComparer.Ordinal);
        public IReadOnlyList<string> ContainersUsing(string volumeName) => Users.TryGetValue(volumeName, out var ids) ? ids : [];
    }
}
