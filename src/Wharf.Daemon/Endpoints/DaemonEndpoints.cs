namespace Wharf.Daemon.Endpoints;

/// <summary>Every endpoint group of the Engine API, in one place so tests see exactly the routes the daemon serves.</summary>
internal static class DaemonEndpoints
{
    public static void MapDaemonEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapSystemEndpoints();
        app.MapContainerEndpoints();
        app.MapResourceEndpoints();
        app.MapImageEndpoints();
        app.MapDistributionEndpoints();
        app.MapEventEndpoints();
        app.MapContainerChangeEndpoints();
        app.MapImageArchiveEndpoints();
        app.MapImageUsageEndpoints();
        app.MapBuildEndpoints();
        app.MapVolumeEndpoints();
        app.MapArchiveEndpoints();
        app.MapNetworkEndpoints();
        app.MapExecEndpoints();
        app.MapSwarmEndpoints();
        app.MapPluginEndpoints();
        app.MapWebSocketAttachEndpoints();
        app.MapFallback((HttpContext c) => Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = $"page not found" }, Wharf.Api.ApiJsonContext.Default.ErrorResponse, statusCode: 404));
    }
}
