using System.Text.Json;
using Wharf.Api.Common;
using Wharf.Api.ImageStore;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Engine.Containers;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>docker diff, export and commit: the container's writable layer read back.</summary>
internal static class ContainerChangeEndpoints
{
    public static void MapContainerChangeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/containers/{id}/changes", Changes);
        app.MapGet("/containers/{id}/export", ExportAsync);
        app.MapPost("/commit", CommitAsync);
    }

    private static IResult Changes(string id, ContainerService containers)
    {
        var changes = containers.Changes(id).Select(c => new FilesystemChange { Path = c.Path, Kind = (int)c.Kind }).ToList();
        return Results.Json(changes, ImageStoreJsonContext.Default.ListFilesystemChange);
    }

    private static async Task ExportAsync(string id, HttpContext context, ContainerService containers)
    {
        containers.Get(id); // 404 before any header is sent
        context.Response.ContentType = "application/x-tar";
        await containers.ExportAsync(id, context.Response.Body, context.RequestAborted);
    }

    private static async Task<IResult> CommitAsync(HttpRequest request, ContainerCommitter committer)
    {
        var container = request.String("container");
        if (string.IsNullOrEmpty(container)) throw EngineException.Invalid("container must be specified");
        var repo = request.String("repo");
        var tag = request.String("tag");
        string? reference = null;
        if (!string.IsNullOrEmpty(repo)) reference = string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag;
        var changes = request.Query["changes"].Where(c => !string.IsNullOrEmpty(c))
            .SelectMany(c => c!.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var options = new CommitOptions(reference, request.String("comment"), request.String("author"), changes, request.Bool("pause", true));
        var image = await committer.CommitAsync(container, options, request.HttpContext.RequestAborted);
        return Results.Json(new IdResponse { Id = image.Id.Value }, ImageStoreJsonContext.Default.IdResponse, statusCode: 201);
    }
}
