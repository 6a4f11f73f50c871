using System.Text.Json;
using Wharf.Api.Volumes;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Archive;

namespace Wharf.Daemon.Endpoints;

/// <summary>/containers/{id}/archive (docker cp): HEAD stats a path, GET sends it as tar, PUT extracts a tar.
/// Every answer carries X-Docker-Container-Path-Stat (base64 JSON), which the CLI reads first.</summary>
internal static class ArchiveEndpoints
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";

    public static void MapArchiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/containers/{id}/archive", ["HEAD"], StatAsync);
        app.MapGet("/containers/{id}/archive", GetAsync);
        app.MapPut("/containers/{id}/archive", PutAsync).AllowStreamingBody();
    }

    private static string RequiredPath(HttpRequest request) =>
        request.String("path") is { Length: > 0 } path ? path : throw EngineException.Invalid("path cannot be empty");

    private static async Task StatAsync(string id, HttpContext context, ContainerService containers)
    {
        var stat = await containers.StatPathAsync(id, RequiredPath(context.Request), context.RequestAborted);
        context.Response.Headers[StatHeader] = Encode(stat);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static async Task GetAsync(string id, HttpContext context, ContainerService containers)
    {
        var path = RequiredPath(context.Request);
        await containers.ArchiveAsync(id, path, stat =>
        {
            context.Response.Headers[StatHeader] = Encode(stat);
            context.Response.ContentType = "application/x-tar";
            context.Response.StatusCode = StatusCodes.Status200OK;
            return context.Response.Body;
        }, context.RequestAborted);
    }

    private static async Task<IResult> PutAsync(string id, HttpContext context, ContainerService containers)
    {
        var request = context.Request;
        var path = RequiredPath(request);
        await containers.ExtractArchiveAsync(id, path, request.Body, request.Bool("noOverwriteDirNonDir"), request.Bool("copyUIDGID"), context.RequestAborted);
        return Results.Ok();
    }

    private static string Encode(PathStat stat) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(StorageMapper.ToPathStat(stat), StorageJsonContext.Default.ContainerPathStat));
}
