using Wharf.Core.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Wharf.Core.Shim;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.FileSystem;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Lifecycle;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Execs;
using Wharf.Engine.Networks;
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
    public ContainerService Service { get; private set; }

    /// <summary>Another service over the same roots and host fakes, as a daemon restart makes one.</summary>
    public ContainerService NewService(NetworkService? networks = null, IContainerProbeRunner? probes = null) =>
        Compose(Options, Images, Snapshots, Mounts, Shims, Volumes, Events, Time, Log, networks, probes);

    /// <summary>Replaces <see cref="Service"/> (before any container is created) with one wired to networking or
    /// health probes, as the daemon wires them.</summary>
    public void UseService(NetworkService? networks = null, IContainerProbeRunner? probes = null)
    {
        Service.Dispose();
        Service = NewService(networks, probes);
    }

    /// <summary>The container services composed as the daemon composes them (<see cref="ContainerServiceRegistration"/>),
    /// over the given host fakes; without a probe runner health checks stay "starting", as before they were wired.</summary>
    public static ContainerService Compose(EngineOptions options, ImageService images, OverlaySnapshotter snapshots, RecordingMountOps mounts,
        IShimClient shims, VolumeService volumes, EventBus events, TimeProvider time, RecordingLogger<ContainerService>? log = null,
        NetworkService? networks = null, IContainerProbeRunner? probes = null, IRuntimeControl? runtime = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(options).AddSingleton(images).AddSingleton(snapshots).AddSingleton<IMountOps>(mounts)
            .AddSingleton(shims).AddSingleton(volumes).AddSingleton(events).AddSingleton(time)
            .AddSingleton<IFileSystemOps>(new ManagedFileSystemOps())
            .AddSingleton<IRootConfinement>(new RecordingRootConfinement())
            .AddContainerServices();
        if (networks is not null) services.AddSingleton(networks);
        if (runtime is not null) services.AddSingleton(runtime);
        services.RemoveAll<IContainerProbeRunner>();
        if (probes is not null) services.AddSingleton(probes);
        if (log is not null)
        {
            services.AddSingleton<ILoggerFactory>(new SharedLoggerFactory(log));
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        }
        // Not disposed with the provider: the harness and the tests own the service's lifetime, as before.
        return services.BuildServiceProvider().GetRequiredService<ContainerService>();
    }

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

    /// <summary>Changes a container's live record as lifecycle code does (gate held, then committed), for a test that
    /// needs a state no fake can bring about.</summary>
    public async Task ChangeAsync(string id, Action<ContainerRecord> change)
    {
        var entry = Service.Store.Find(id);
        await entry.Gate.WaitAsync();
        try
        {
            change(entry.Record);
            Service.Store.Persist(entry.Record);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    public ContainerSnapshot Create(string? name = null, List<string>? cmd = null, Action<ContainerConfig>? config = null, Action<HostSettings>? host = null)
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

/// <summary>Hands every category the one recorder a test reads.</summary>
internal sealed class SharedLoggerFactory(ILogger inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => inner;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the recorder is the only sink");

    public void Dispose()
    {
    }
}
