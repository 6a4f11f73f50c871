using System.Text.Json;
using Wharf.Core;
using Wharf.Core.Errors;
using Wharf.Core.Host;
using Wharf.Core.Oci;
using Wharf.Engine.Builder;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Spec;
using Xunit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>The engine side of the docker flags the CLI gained for parity: blkio per-device limits, the CPU real-time
/// period and runtime, annotations, device cgroup rules, the per-container cgroup parent, the settings dockerd on Linux
/// refuses or drops, and the builder's RUN limits.</summary>
public sealed class ResourceFlagSpecTests : IDisposable
{
    private static readonly HostDevice Sda = new("/dev/sda", 'b', 8, 0, 432, 0, 6);
    private static readonly HostDevice Sdb = new("/dev/sdb", 'b', 8, 16, 432, 0, 6);

    private readonly string _rootfs = Directory.CreateTempSubdirectory("wharf-flag-spec-").FullName;

    public ResourceFlagSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc", "group"), "root:x:0:\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private sealed class FakeDevices(params HostDevice[] devices) : IHostDevices
    {
        public HostDevice? Find(string path) =>
            path == "/dev/null" ? throw new InvalidOperationException("not a block device") : devices.FirstOrDefault(d => d.Path == path);

        public IReadOnlyList<HostDevice> All() => devices;
    }

    private static HostSettings BlkioHost() => new()
    {
        BlkioWeight = 300,
        BlkioWeightDevice = [new BlkioDeviceSetting { Path = "/dev/sda", Weight = 200 }],
        BlkioDeviceReadBps = [new BlkioDeviceSetting { Path = "/dev/sda", Rate = 1 << 20 }],
        BlkioDeviceWriteBps = [new BlkioDeviceSetting { Path = "/dev/sdb", Rate = 512 }],
        BlkioDeviceReadIOps = [new BlkioDeviceSetting { Path = "/dev/sda", Rate = 1000 }],
        BlkioDeviceWriteIOps = [new BlkioDeviceSetting { Path = "/dev/sdb", Rate = 20 }],
    };

    private RuntimeSpec BuildSpec(HostSettings host, IReadOnlyDictionary<string, HostDevice>? blockDevices = null, string cgroupsPath = "/wharf/x")
    {
        var record = new ContainerRecord { Id = new string('a', 64), Name = "t", ImageId = "sha256:" + new string('b', 64), Path = "/bin/sh", Args = [] };
        record.Host = host;
        return SpecBuilder.Build(record, new ImageConfig(), new SpecInputs(
            _rootfs, "/data/hostname", "/data/hosts", "/data/resolv.conf", null, 1 << 20, cgroupsPath, BlockDevices: blockDevices));
    }

    [Fact]
    public void Build_BlkioDeviceSettings_BecomeMajorMinorListsBesideTheWeight()
    {
        var host = BlkioHost();
        var devices = BlockIoSpec.Resolve(host, new FakeDevices(Sda, Sdb));

        var spec = BuildSpec(host, devices);
        var blockIo = spec.Linux.Resources!.BlockIo!;

        Assert.Equal((ushort)300, blockIo.Weight);
        Assert.Equal([new SpecWeightDevice(8, 0, 200)], blockIo.WeightDevice!);
        Assert.Equal([new SpecThrottleDevice(8, 0, 1 << 20)], blockIo.ThrottleReadBpsDevice!);
        Assert.Equal([new SpecThrottleDevice(8, 16, 512)], blockIo.ThrottleWriteBpsDevice!);
        Assert.Equal([new SpecThrottleDevice(8, 0, 1000)], blockIo.ThrottleReadIopsDevice!);
        Assert.Equal([new SpecThrottleDevice(8, 16, 20)], blockIo.ThrottleWriteIopsDevice!);
        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);
        Assert.Contains("\"weightDevice\":[{\"major\":8,\"minor\":0,\"weight\":200}]", json, StringComparison.Ordinal);
        Assert.Contains("\"throttleReadIOPSDevice\":[{\"major\":8,\"minor\":0,\"rate\":1000}]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoBlkioSettings_WritesNoBlockIo()
    {
        Assert.Null(BuildSpec(new HostSettings()).Linux.Resources!.BlockIo);
    }

    [Theory]
    [InlineData("/dev/nope", "stat /dev/nope: no such file or directory")]
    [InlineData("/dev/null", "stat /dev/null: not a block device")]
    public void Resolve_PathThatIsNoDevice_FailsWithDockersStatWords(string path, string message)
    {
        var host = new HostSettings { BlkioDeviceReadBps = [new BlkioDeviceSetting { Path = path, Rate = 1 }] };

        var e = Assert.Throws<EngineException>(() => BlockIoSpec.Resolve(host, new FakeDevices(Sda)));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Build_Realtime_SetsTheCpuRealtimeFieldsAndRuncUpdateGetsThemToo()
    {
        var host = new HostSettings { CpuRealtimePeriod = 1_000_000, CpuRealtimeRuntime = 950_000 };

        var spec = BuildSpec(host);
        var cpu = spec.Linux.Resources!.Cpu!;
        var updatable = ResourceSpec.UpdatableResources(host, swapLimitSupported: true).Cpu!;

        Assert.Equal((1_000_000UL, 950_000L), (cpu.RealtimePeriod!.Value, cpu.RealtimeRuntime!.Value));
        Assert.Equal((cpu.RealtimePeriod, cpu.RealtimeRuntime), (updatable.RealtimePeriod, updatable.RealtimeRuntime));
        var json = JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec);
        Assert.Contains("\"realtimeRuntime\":950000,\"realtimePeriod\":1000000", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1_000_000, 0, false, "Your kernel does not support CPU real-time scheduler")]
    [InlineData(0, 5000, false, "Your kernel does not support CPU real-time scheduler")]
    [InlineData(5000, 10000, true, "cpu-rt-runtime cannot be higher than cpu-rt-period")]
    public void ValidateRealtime_UnsupportedOrRuntimeAbovePeriod_IsRefusedAsDockerRefusesIt(long period, long runtime, bool supported, string message)
    {
        var host = new HostSettings { CpuRealtimePeriod = period, CpuRealtimeRuntime = runtime };

        var e = Assert.Throws<EngineException>(() => ResourceValidation.ValidateRealtime(host, supported));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ValidateRealtime_SupportedAndWithinThePeriod_Passes()
    {
        ResourceValidation.ValidateRealtime(new HostSettings { CpuRealtimePeriod = 1_000_000, CpuRealtimeRuntime = 950_000 }, realtimeSupported: true);
        ResourceValidation.ValidateRealtime(new HostSettings(), realtimeSupported: false);
    }

    [Fact]
    public void Merge_RealtimeUpdate_ChangesOnlyWhatIsGiven()
    {
        var current = new HostSettings { CpuRealtimePeriod = 1_000_000, CpuRealtimeRuntime = 10_000 };

        var merged = ContainerResources.Merge(current, new ContainerUpdate { CpuRealtimeRuntime = 20_000 });

        Assert.Equal((1_000_000L, 20_000L), (merged.CpuRealtimePeriod, merged.CpuRealtimeRuntime));
    }

    [Fact]
    public void Build_Annotations_GoToTheSpecsAnnotations()
    {
        var spec = BuildSpec(new HostSettings { Annotations = new() { ["org.example.a"] = "1", ["b"] = "" } });

        Assert.Equal(new Dictionary<string, string> { ["org.example.a"] = "1", ["b"] = "" }, spec.Annotations);
        Assert.Contains("\"annotations\":{\"org.example.a\":\"1\",\"b\":\"\"}", JsonSerializer.Serialize(spec, CoreJsonContext.Default.RuntimeSpec), StringComparison.Ordinal);
        Assert.DoesNotContain("\"annotations\"", JsonSerializer.Serialize(BuildSpec(new HostSettings()), CoreJsonContext.Default.RuntimeSpec), StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateAnnotations_EmptyKey_IsRefused()
    {
        var e = Assert.Throws<EngineException>(() => ResourceValidation.ValidateAnnotations(new Dictionary<string, string> { [""] = "x" }));

        Assert.Equal("invalid Annotations: the empty string is not permitted as an annotation key", e.Message);
    }

    [Fact]
    public void Build_DeviceCgroupRules_AreAllowRulesAfterTheDefaults()
    {
        var devices = BuildSpec(new HostSettings { DeviceCgroupRules = ["c 42:* rmw", "b 8:0 r"] }).Linux.Resources!.Devices;

        Assert.Equal(new SpecDeviceRule { Allow = true, Type = "c", Major = 42, Minor = null, Access = "rmw" }, devices[^2]);
        Assert.Equal(new SpecDeviceRule { Allow = true, Type = "b", Major = 8, Minor = 0, Access = "r" }, devices[^1]);
        Assert.Equal(new SpecDeviceRule { Allow = false, Access = "rwm" }, devices[0]);
    }

    [Theory]
    [InlineData("", "/wharf", "/wharf/c1")]
    [InlineData("/custom", "/wharf", "/custom/c1")]
    [InlineData("custom/sub/", "/wharf", "/custom/sub/c1")]
    [InlineData("/a/./../b", "/wharf", "/b/c1")]
    [InlineData("/../..", "/wharf", "/c1")]
    public void CgroupPaths_ParentOfTheContainerOrTheDaemon_IsACleanAbsolutePath(string containerParent, string daemonParent, string expected)
    {
        Assert.Equal(expected, CgroupPaths.Of(new HostSettings { CgroupParent = containerParent }, daemonParent, "c1"));
    }

    [Fact]
    public void Build_CgroupParentPath_IsTheSpecsCgroupsPath()
    {
        var host = new HostSettings { CgroupParent = "/custom" };

        Assert.Equal("/custom/c1", BuildSpec(host, cgroupsPath: CgroupPaths.Of(host, "/wharf", "c1")).Linux.CgroupsPath);
    }

    [Fact]
    public void PlatformResources_WindowsIoLimitsAndStorageOpts_AreRefusedWithDockersWords()
    {
        var io = Assert.Throws<EngineException>(() => PlatformResources.Validate(null, 1 << 20, 0));
        var iops = Assert.Throws<EngineException>(() => PlatformResources.Validate(null, 0, 300));
        var storage = Assert.Throws<EngineException>(() => PlatformResources.Validate(new Dictionary<string, string> { ["size"] = "10G" }, 0, 0));

        Assert.Equal("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps", io.Message);
        Assert.Equal(io.Message, iops.Message);
        Assert.Equal("--storage-opt is supported only for overlay over xfs with 'pquota' mount option", storage.Message);
        PlatformResources.Validate(new Dictionary<string, string>(), 0, 0);
    }

    [Fact]
    public void PlatformResources_CpuPercent_IsDroppedWithDockersWarning()
    {
        Assert.Equal(["linux does not support CPU percent. Percent discarded."], PlatformResources.Warnings(50));
        Assert.Empty(PlatformResources.Warnings(0));
    }

    [Fact]
    public void BuildResources_ApplyTo_GivesTheRunContainerTheLimits()
    {
        var host = new HostSettings { NetworkMode = "bridge" };
        var resources = new BuildResources
        {
            Memory = 64 << 20, MemorySwap = -1, CpuShares = 512, CpuPeriod = 100_000, CpuQuota = 50_000, CpusetCpus = "0", CpusetMems = "0",
            ShmSize = 1 << 20, Ulimits = [new UlimitSetting { Name = "nofile", Soft = 100, Hard = 200 }], CgroupParent = "/builds",
        };

        resources.ApplyTo(host);

        Assert.Equal((64L << 20, -1L, 512L, 100_000L, 50_000L), (host.Memory, host.MemorySwap, host.CpuShares, host.CpuPeriod, host.CpuQuota));
        Assert.Equal(("0", "0", 1L << 20, "/builds", "bridge"), (host.CpusetCpus, host.CpusetMems, host.ShmSize, host.CgroupParent, host.NetworkMode));
        Assert.Equal(("nofile", 100L, 200L), (host.Ulimits[0].Name, host.Ulimits[0].Soft, host.Ulimits[0].Hard));
    }

    [Fact]
    public void BlkioSupport_HostWithThrottlesOnly_DropsTheWeightsWithDockersWarnings()
    {
        var host = BlkioHost();
        var throttlesOnly = new BlkioSupport(Weight: false, WeightDevice: false, true, true, true, true);

        var warnings = throttlesOnly.DiscardUnsupported(host);

        Assert.Equal(
            [
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.",
                "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.",
            ],
            warnings);
        Assert.Equal(0, host.BlkioWeight);
        Assert.Empty(host.BlkioWeightDevice);
        Assert.Single(host.BlkioDeviceReadBps);
        Assert.Single(host.BlkioDeviceWriteIOps);
        Assert.Empty(BlkioSupport.All.DiscardUnsupported(BlkioHost()));
    }

    [Fact]
    public void BlkioSupport_NoThrottles_DropsEachListWithItsWarning()
    {
        var host = BlkioHost();

        var warnings = new BlkioSupport(true, true, false, false, false, false).DiscardUnsupported(host);

        Assert.Equal(4, warnings.Count);
        Assert.Contains("Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.", warnings);
        Assert.Equal((300, 1), (host.BlkioWeight, host.BlkioWeightDevice.Count));
        Assert.Empty(host.BlkioDeviceReadBps.Concat(host.BlkioDeviceWriteBps).Concat(host.BlkioDeviceReadIOps).Concat(host.BlkioDeviceWriteIOps));
    }
}
