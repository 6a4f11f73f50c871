using Wharf.Core.Host;
using Wharf.Core.Shim;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Http;
using Wharf.Daemon.Storage;
using Wharf.Engine;
using Wharf.Engine.Events;
using Wharf.Engine.Runtime;
using Wharf.Engine.Snapshots;
using Wharf.Linux;
using Wharf.Linux.Cgroups;
using Wharf.Linux.Files;

namespace Wharf.Daemon.Composition;

/// <summary>What every area stands on: the daemon's settings and options, the clock and the event bus, and the Linux
/// implementations of the host seams (mounts, files, confinement, shims, runc, cgroups).</summary>
internal static class HostComposition
{
    public static IServiceCollection AddWharfHost(this IServiceCollection services, DaemonSettings settings, EngineOptions options)
    {
        var time = TimeProvider.System;
        services.AddSingleton(settings);
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(new EventBus(time));
        services.AddSingleton<IMountOps>(new LinuxMountOps());
        services.AddSingleton<IFileSystemOps>(new LinuxFileSystemOps());
        services.AddSingleton<IRootConfinement>(new ThreadRootConfinement());
        services.AddSingleton<IShimClient>(new SocketShimClient(new LinuxProcessSpawner(), options));
        services.AddSingleton<IRuntimeControl>(new RuncControl(options.RuntimePath, options.RuntimeRoot));
        services.AddSingleton<ICgroupReader>(new CgroupReader());
        // Read now, not at the first /info: it starts `runc --version` in the background.
        services.AddSingleton(HostInventory.Read(settings));
        services.AddSingleton(new DaemonDetachKeys(settings.DetachKeys));
        return services;
    }
}
