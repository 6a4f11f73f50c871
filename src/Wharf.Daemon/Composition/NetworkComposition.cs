using Wharf.Daemon.Configuration;
using Wharf.Engine.Containers;
using Wharf.Engine.Events;
using Wharf.Engine.Networks;
using Wharf.Engine.Swarm;

namespace Wharf.Daemon.Composition;

/// <summary>Networking and the swarm: the network service over the Linux drivers (see <see cref="NetworkSetup"/>),
/// this node's swarm membership and the swarm service. With a cluster store, overlay networks span the daemons sharing
/// it and swarm mode is refused (as in Docker 20.10, where the classic cluster store and swarm mode exclude each other).</summary>
internal static class NetworkComposition
{
    public static IServiceCollection AddWharfNetworking(this IServiceCollection services, DaemonSettings settings, DaemonCluster? cluster)
    {
        services.AddSingleton(new SwarmMembership(settings.DataRoot));
        services.AddSingleton(s => NetworkSetup.Create(settings, s.GetRequiredService<EventBus>(), s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<ILoggerFactory>().CreateLogger("Wharf.Engine.Networks"), s.GetRequiredService<SwarmMembership>(), cluster));
        services.AddSingleton(s => new SwarmService(s.GetRequiredService<SwarmMembership>(), s.GetRequiredService<NetworkService>(),
            s.GetRequiredService<ContainerService>(), s.GetRequiredService<TimeProvider>(),
            cluster is null ? null : "swarm mode is not available on a daemon with a cluster store (--cluster-store): its overlay networks already span hosts"));
        return services;
    }
}
