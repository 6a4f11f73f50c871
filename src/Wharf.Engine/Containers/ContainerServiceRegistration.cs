using Microsoft.Extensions.DependencyInjection;
using Wharf.Engine.Containers.FileSystem;
using Wharf.Engine.Containers.Health;
using Wharf.Engine.Containers.Io;
using Wharf.Engine.Containers.Lifecycle;
using Wharf.Engine.Containers.Mounts;
using Wharf.Engine.Containers.Networking;
using Wharf.Engine.Containers.Resources;
using Wharf.Engine.Containers.Store;
using Wharf.Engine.Execs;

namespace Wharf.Engine.Containers;

/// <summary>The container subsystem's composition, in one place for the daemon and the tests: every service by
/// constructor injection, one instance each.</summary>
public static class ContainerServiceRegistration
{
    /// <summary>Registers the container services. Expects the seams they take to be registered already: EngineOptions,
    /// TimeProvider, EventBus, ImageService, OverlaySnapshotter, IMountOps, IFileSystemOps, IRootConfinement,
    /// IShimClient and VolumeService; NetworkService, IRuntimeControl, ICgroupReader and loggers when there are any
    /// (without them the services that take them work without: no networking, no pause, no stats, no logs).</summary>
    public static IServiceCollection AddContainerServices(this IServiceCollection services)
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
