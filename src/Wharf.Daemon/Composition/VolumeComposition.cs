using System.Globalization;
using Wharf.Core.Host;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Storage;
using Wharf.Engine.Volumes;
using Wharf.Engine.Volumes.Plugins;
using Wharf.Linux.Mounts;

namespace Wharf.Daemon.Composition;

/// <summary>Volumes: local volumes (and their size-limited loop devices) and volume plugins.</summary>
internal static class VolumeComposition
{
    public static IServiceCollection AddWharfVolumes(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton(s => new VolumeService(settings.DataRoot, s.GetRequiredService<IMountOps>(), s.GetRequiredService<TimeProvider>(),
            new VolumePluginClient(new PluginDiscovery(), PluginTimeout()), new LinuxLoopDevices(), new LinuxFileSystemOps()));
        return services;
    }

    /// <summary>How long a volume plugin may take to answer (WHARF_VOLUME_PLUGIN_TIMEOUT seconds, default 30).</summary>
    private static TimeSpan PluginTimeout() =>
        double.TryParse(Environment.GetEnvironmentVariable("WHARF_VOLUME_PLUGIN_TIMEOUT"), CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
}
