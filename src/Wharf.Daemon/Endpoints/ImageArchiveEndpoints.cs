using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Api;
using Wharf.Api.Streams;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Engine.Images;

namespace Wharf.Daemon.Endpoints;

/// <summary>docker save and docker load.</summary>
internal static class ImageArchiveEndpoints
{
    public static void MapImageArchiveEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/get", (HttpRequest request, ImageService images) =>
            Save(request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList(), images));
        app.MapPost("/images/load", LoadAsync).AllowStreamingBody();
    }

    /// <summary>GET /images/get and /images/{name}/get. Names are resolved before the first byte is sent, so a
    /// missing image is a clean 404.</summary>
    public static IResult Save(IReadOnlyList<string> names, ImageService images)
    {
        if (names.Count == 0) throw EngineException.Invalid("no images specified");
        images.CheckSaveNames(names);
        return new SynchronousStreamResult(body => images.Save(names, body), "application/x-tar");
    }

    private static async Task LoadAsync(HttpContext context, ImageService images)
    {
        var quiet = context.Request.Bool("quiet");
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        var response = context.Response;
        var started = false;
        void Send(JsonMessage message)
        {
            if (!started)
            {
                response.ContentType = "application/json";
                started = true;
            }
            response.Body.Write(JsonLines.Serialize(message, ApiJsonContext.Default.JsonMessage));
            response.Body.Flush();
        }

        try
        {
            await Task.Run(() =>
            {
                var results = images.Load(context.Request.Body, quiet ? null : (diffId, size) => Send(new JsonMessage
                {
                    Status = "Loading layer",
                    Id = diffId.Hex[..12],
                    ProgressDetail = new JsonProgress { Current = size, Total = size },
                    Progress = $"[==================================================>]  {HumanSize(size)}/{HumanSize(size)}",
                }));
                foreach (var result in results)
                {
                    if (result.References.Count == 0) Send(new JsonMessage { Stream = $"Loaded image ID: {result.Image.Id}\n" });
                    foreach (var reference in result.References) Send(new JsonMessage { Stream = $"Loaded image: {reference}\n" });
                }
            }, context.RequestAborted);
        }
        catch (EngineException e)
        {
            // As Docker's loader: a bad archive is reported in the message stream (docker-py raises ImageLoadError
            // from its "error" message), not as an HTTP error.
            Send(new JsonMessage { Error = e.Message, ErrorDetail = new JsonError { Message = e.Message } });
        }
    }

    /// <summary>Docker's units.HumanSize: decimal units, 3 significant digits.</summary>
    internal static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        var i = 0;
        while (size >= 1000 && i < units.Length - 1) { size /= 1000; i++; }
        return size.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + units[i];
    }
}
