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

namespace Wharf.Daemon.Composition;

/// <summary>The container subsystem's composition: every service by constructor injection, one instance each.</summary>
internal static class ContainerComposition
{
    /// <summary>Registers the container services. Expects the host seams they take to be registered already:
    /// EngineOptions, TimeProvider, EventBus, ImageService, OverlaySnapshotter, IMountOps, IFileSystemOps, IRootConfinement,
    /// IShimClient, VolumeService, NetworkService, IRuntimeControl and ICgroupReader.</summary>
    public static IServiceCollection AddWharfContainers(this IServiceCollection services)
    {
        services.AddSingleton<ContainerStore>();
        services.AddSingleton<ContainerEvents>();
        services.AddSingleton<ContainerExecService>();
        // Health probes are execs; the exec service does not depend on the lifecycle, so there is no cycle.
        services.AddSingleton<IContainerProbeRunner, ExecProbeRunner>();
        services.AddSingleton<ContainerHealth>();
        services.AddSingleton<ContainerNetworking>();
        services.AddSingleton<ContainerMounts>();
        services.AddSingleton<ContainerIo>();
        services.AddSingleton<ContainerFileSystem>();
        services.AddSingleton<ContainerResources>();
        services.AddSingleton<ContainerCreator>();
        services.AddSingleton<ContainerLifecycle>();
        services.AddSingleton<ContainerService>();
        return services;
    }
}
