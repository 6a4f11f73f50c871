using Wharf.Api;
using Wharf.Api.Images;
using Wharf.Api.ImageStore;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>docker image prune and docker system df.</summary>
internal static class ImageUsageEndpoints
{
    private static readonly string[] PruneFilterKeys = ["dangling", "label", "label!", "until"];

    public static void MapImageUsageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/images/prune", Prune);
        app.MapGet("/system/df", DiskUsage);
    }

    private static IResult Prune(HttpRequest request, ImageService images, ContainerService containers, TimeProvider time)
    {
        var filters = FilterSet.Parse(request.String("filters"));
        filters.Validate(PruneFilterKeys);
        var all = filters.Get("dangling").Any(v => v is "false" or "0");
        var until = PruneUntil.From(filters, time) ?? DateTimeOffset.MaxValue;
        bool Matches(ImageRecord image)
        {
            var labels = image.Config.Config.Labels ?? new Dictionary<string, string>();
            return image.Created < until
                && (!filters.Contains("label") || filters.MatchLabels("label", labels))
                && (!filters.Contains("label!") || !filters.MatchLabels("label!", labels));
        }
        var result = images.Prune(all, Matches, id => containers.IsImageInUse(id.ToString()));
        return Results.Json(new ImagePruneResponse
        {
            ImagesDeleted = result.Actions.Select(a => new ImageDeleteResponseItem { Untagged = a.Untagged, Deleted = a.Deleted }).ToList(),
            SpaceReclaimed = result.SpaceReclaimed,
        }, ApiJsonContext.Default.ImagePruneResponse);
    }

    private static async Task<IResult> DiskUsage(ImageService images, ContainerService containers, TimeProvider time, CancellationToken ct)
    {
        var records = containers.List();
        var now = time.GetUtcNow();
        var imageSizes = new Dictionary<string, long>(StringComparer.Ordinal);
        var response = new SystemDfResponse { LayersSize = images.LayersSize() };
        foreach (var usage in images.Usage())
        {
            var image = usage.Image;
            imageSizes[image.Id.Value] = usage.Size;
            response.Images.Add(new ImageSummary
            {
                Id = image.Id.ToString(),
                ParentId = "",
                RepoTags = [.. image.RepoTags],
                RepoDigests = [],
                Created = image.Created.ToUnixTimeSeconds(),
                Size = usage.Size,
                SharedSize = usage.SharedSize,
                Labels = image.Config.Config.Labels?.ToDictionary(),
                Containers = records.Count(r => r.ImageId == image.Id.Value),
            });
        }
        foreach (var record in records)
        {
            var summary = ContainerMapper.ToSummary(record, now);
            summary.SizeRw = containers.WritableLayerSize(record);
            summary.SizeRootFs = summary.SizeRw + imageSizes.GetValueOrDefault(record.ImageId);
            response.Containers.Add(summary);
        }
        response.Volumes.AddRange(await VolumeDiskUsage.ListAsync(containers.Volumes, ct));
        return Results.Json(response, ImageStoreJsonContext.Default.SystemDfResponse);
    }
}
