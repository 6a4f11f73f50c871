using Wharf.Api.Common;
using Wharf.Api.Images;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Mapping;

/// <summary>Image records to Docker's image JSON shapes.</summary>
internal static class ImageMapper
{
    public static ImageInspect ToInspect(ImageRecord image)
    {
        var c = image.Config;
        var d = c.Config;
        return new ImageInspect
        {
            Id = image.Id.ToString(),
            RepoTags = [.. image.RepoTags],
            RepoDigests = [],
            Parent = image.Parent ?? "",
            Comment = c.History is { Count: > 0 } h ? h[^1].Comment ?? "" : c.Comment ?? "",
            Created = c.Created is { } created ? ContainerMapper.FormatTime(created) : null,
            DockerVersion = "",
            Author = c.Author ?? "",
            Config = new ImageConfigDto
            {
                User = d.User ?? "",
                ExposedPorts = d.ExposedPorts?.ToDictionary(p => p.Key, _ => new EmptyObject()),
                Env = d.Env?.ToList(),
                Cmd = d.Cmd?.ToList(),
                Volumes = d.Volumes?.ToDictionary(p => p.Key, _ => new EmptyObject()),
                WorkingDir = d.WorkingDir ?? "",
                Entrypoint = d.Entrypoint?.ToList(),
                OnBuild = d.OnBuild?.ToList(),
                Shell = d.Shell?.ToList(),
                Labels = d.Labels?.ToDictionary(),
                StopSignal = d.StopSignal,
                Healthcheck = d.Healthcheck is { } hc ? new Wharf.Api.Containers.HealthConfig { Test = hc.Test?.ToList(), Interval = hc.Interval, Timeout = hc.Timeout, StartPeriod = hc.StartPeriod, StartInterval = hc.StartInterval, Retries = hc.Retries } : null,
            },
            Architecture = c.Architecture,
            Variant = c.Variant,
            Os = c.Os,
            Size = image.Size,
            GraphDriver = new Wharf.Api.Containers.GraphDriverData { Name = "overlay2", Data = null },
            RootFS = new ImageRootFs { Type = "layers", Layers = [.. c.RootFs.DiffIds] },
            Metadata = new ImageMetadata { LastTagTime = image.LastTagTime is { } t ? ContainerMapper.FormatTime(t) : "0001-01-01T00:00:00Z" },
        };
    }

    /// <summary>docker history, newest first: each history entry that made a layer gets that layer's unpacked size;
    /// only the top entry has an id (intermediate images are not kept locally, so Docker too says "&lt;missing&gt;").</summary>
    public static List<ImageHistoryItem> ToHistory(ImageRecord image, IReadOnlyList<long> layerSizes)
    {
        var history = image.Config.History ?? [];
        var sizes = new long[history.Count];
        var layer = 0;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].EmptyLayer) continue;
            sizes[i] = layer < layerSizes.Count ? layerSizes[layer] : 0;
            layer++;
        }
        var items = new List<ImageHistoryItem>();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var h = history[i];
            items.Add(new ImageHistoryItem
            {
                Id = i == history.Count - 1 ? image.Id.ToString() : "<missing>",
                Created = h.Created?.ToUnixTimeSeconds() ?? 0,
                CreatedBy = h.CreatedBy ?? "",
                Tags = i == history.Count - 1 ? [.. image.RepoTags] : null,
                Size = sizes[i],
                Comment = h.Comment ?? "",
            });
        }
        if (history.Count == 0)
        {
            // An image without history (hand-made config) still has one line, as Docker shows it.
            items.Add(new ImageHistoryItem { Id = image.Id.ToString(), Created = image.Created.ToUnixTimeSeconds(), Tags = [.. image.RepoTags], Size = image.Size });
        }
        return items;
    }
}
