using Wharf.Daemon.Endpoints;
using Wharf.Engine.Containers;

namespace Wharf.Daemon.Composition;

/// <summary>Containers: the engine's container services (composed in the engine, as the tests compose them) and the
/// daemon's read-side queries over them.</summary>
internal static class ContainerComposition
{
    public static IServiceCollection AddWharfContainers(this IServiceCollection services)
    {
        services.AddContainerServices();
        services.AddSingleton<ContainerQueries>();
        return services;
    }
}
