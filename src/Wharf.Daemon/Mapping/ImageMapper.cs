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
            Parent = "",
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

    public static List<ImageHistoryItem> ToHistory(ImageRecord image)
    {
        var history = image.Config.History ?? [];
        var items = new List<ImageHistoryItem>();
        // Per-layer sizes arrive with the images issue; until then a single-layer image reports its size on
        // the one history entry that made a layer.
        var singleLayer = history.Count(h => !h.EmptyLayer) == 1;
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var h = history[i];
            items.Add(new ImageHistoryItem
            {
                Id = i == history.Count - 1 ? image.Id.ToString() : "<missing>",
                Created = h.Created?.ToUnixTimeSeconds() ?? 0,
                CreatedBy = h.CreatedBy ?? "",
                Tags = i == history.Count - 1 ? [.. image.RepoTags] : null,
                Size = singleLayer && !h.EmptyLayer ? image.Size : 0,
                Comment = h.Comment ?? "",
            });
        }
        return items;
    }
}
