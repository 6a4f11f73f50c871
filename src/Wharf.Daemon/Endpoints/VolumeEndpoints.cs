using System.Text.Json;
using Wharf.Api.Volumes;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;

namespace Wharf.Daemon.Endpoints;

/// <summary>/volumes/*: thin — bind, call the VolumeService, map the answer.</summary>
internal static class VolumeEndpoints
{
    public static void MapVolumeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/volumes", List);
        app.MapPost("/volumes/create", CreateAsync);
        app.MapPost("/volumes/prune", Prune);
        app.MapGet("/volumes/{name}", Inspect);
        app.MapDelete("/volumes/{name}", Remove);
    }

    private static IResult List(HttpRequest request, ContainerService containers)
    {
        var warnings = new List<string>();
        var volumes = containers.Volumes.List(FilterSet.Parse(request.String("filters")), warnings);
        var body = new VolumeListResponse { Volumes = volumes.Select(v => StorageMapper.ToVolume(v)).ToList(), Warnings = warnings };
        return Results.Json(body, StorageJsonContext.Default.VolumeListResponse);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ContainerService containers)
    {
        var body = request.ContentLength == 0 ? new VolumeCreateRequest()
            : await RequestJson.ReadAsync(request.Body, StorageJsonContext.Default.VolumeCreateRequest, request.HttpContext.RequestAborted) ?? new VolumeCreateRequest();
        var volume = containers.Volumes.Create(body.Name, body.Driver, body.DriverOpts, body.Labels);
        return Results.Json(StorageMapper.ToVolume(volume), StorageJsonContext.Default.Volume, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Inspect(string name, ContainerService containers) =>
        Results.Json(StorageMapper.ToVolume(containers.Volumes.Get(name)), StorageJsonContext.Default.Volume);

    private static IResult Remove(string name, HttpRequest request, ContainerService containers)
    {
        containers.Volumes.Remove(name, request.Bool("force"));
        return Results.NoContent();
    }

    private static IResult Prune(HttpRequest request, ContainerService containers)
    {
        var (deleted, reclaimed) = containers.Volumes.Prune(FilterSet.Parse(request.String("filters")));
        return Results.Json(new VolumePruneResponse { VolumesDeleted = [.. deleted], SpaceReclaimed = reclaimed }, StorageJsonContext.Default.VolumePruneResponse);
    }
}
