using Wharf.Daemon.Configuration;
using Wharf.Daemon.Storage;
using Wharf.Engine.Builder;
using Wharf.Engine.Distribution;
using Wharf.Engine.Events;
using Wharf.Engine.Images;
using Wharf.Engine.Snapshots;

namespace Wharf.Daemon.Composition;

/// <summary>Images: the layer store, the image store (its events on the bus), pull and push, the builder and commit.</summary>
internal static class ImageComposition
{
    public static IServiceCollection AddWharfImages(this IServiceCollection services, DaemonSettings settings)
    {
        services.AddSingleton(new OverlaySnapshotter(settings.DataRoot, new LinuxFileSystemOps()));
        services.AddSingleton(s =>
        {
            var events = s.GetRequiredService<EventBus>();
            return new ImageService(settings.DataRoot, s.GetRequiredService<OverlaySnapshotter>(), s.GetRequiredService<TimeProvider>(),
                (action, id, attributes) => events.Publish("image", action, id, attributes));
        });
        services.AddSingleton(s => new ImageDistributionService(s.GetRequiredService<ImageService>(),
            DistributionSettings.Read(settings.ConfigFile), settings.DataRoot));
        services.AddSingleton(new BuildCache(settings.DataRoot));
        services.AddSingleton<ImageBuilder>();
        services.AddSingleton<ContainerCommitter>();
        return services;
    }
}
