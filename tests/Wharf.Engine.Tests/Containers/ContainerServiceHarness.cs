using Wharf.Core.Shim;
using Wharf.Engine.Containers;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;
using Wharf.Engine.Volumes;
using Wharf.Engine.Tests.Images;
using Wharf.TestKit;

namespace Wharf.Engine.Tests.Containers;

/// <summary>A ContainerService over temp roots with recording host fakes and one imported image ("busybox").</summary>
internal sealed class ContainerServiceHarness : IAsyncDisposable
{
    private readonly TempDirectory _root = new("wharf-cs");

    private ContainerServiceHarness(IShimClient? shims = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Options = new EngineOptions
        {
            DataRoot = _root.Combine("data"),
            ExecRoot = _root.Combine("exec"),
            HostResolvConf = _root.Combine("resolv.conf"),
            ShimReadyTimeout = TimeSpan.FromMilliseconds(200),
        };
        File.WriteAllText(Options.HostResolvConf, "nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch example\n");
        Events = new EventBus(Time);
        Snapshots = new OverlaySnapshotter(Options.DataRoot);
        Images = new ImageService(Options.DataRoot, Snapshots, Time);
        Shims = shims ?? new Wharf.Engine.Runtime.SocketShimClient(Spawner, Options);
        Volumes = new VolumeService(Options.DataRoot, Mounts, Time);
        Service = NewService();
    }

    public EngineOptions Options { get; }
    public EventBus Events { get; }
    public OverlaySnapshotter Snapshots { get; }
    public ImageService Images { get; }
    public RecordingMountOps Mounts { get; } = new();
    public RecordingProcessSpawner Spawner { get; } = new();
    public IShimClient Shims { get; }
    public TimeProvider Time { get; }
    public VolumeService Volumes { get; }
    public RecordingLogger<ContainerService> Log { get; } = new();
    public ContainerService Service { get; }

    /// <summary>Another service over the same roots and host fakes, as a daemon restart makes one.</summary>
    public ContainerService NewService() => new(Options, Images, Snapshots, Mounts, Shims, Volumes, new ManagedFileSystemOps(), Events, Time, Log);

    public static Task<ContainerServiceHarness> CreateAsync(params string[] changes) => CreateAsync(null, null, changes);

    public static async Task<ContainerServiceHarness> CreateAsync(IShimClient? shims, TimeProvider? time, params string[] changes)
    {
        var harness = new ContainerServiceHarness(shims, time);
        var tar = new TarBuilder()
            .Directory("bin")
            .File("bin/sh", "#!fake", (UnixFileMode)0b111_101_101)
            .Directory("etc")
            .File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
            .Build();
        await harness.Images.ImportAsync(new MemoryStream(tar), "busybox:latest", changes, null, CancellationToken.None);
        return harness;
    }

    public ContainerRecord Create(string? name = null, List<string>? cmd = null, Action<ContainerConfig>? config = null, Action<HostSettings>? host = null)
    {
        var c = new ContainerConfig { Image = "busybox", Cmd = cmd ?? ["true"] };
        config?.Invoke(c);
        var h = new HostSettings();
        host?.Invoke(h);
        return Service.Create(new ContainerCreateParams(name, c, h));
    }

    public ValueTask DisposeAsync()
    {
        Service.Dispose();
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}
