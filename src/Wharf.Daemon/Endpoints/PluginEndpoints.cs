using Wharf.Api;
using Wharf.Core.Errors;

namespace Wharf.Daemon.Endpoints;

/// <summary>/plugins/*: Wharf has no managed (v2) plugins, so it answers as a Docker engine with none installed: an
/// empty list, and Docker's 404 'plugin "NAME" not found' for any named plugin. Installing one (pull, create, upgrade,
/// privileges of a remote) is refused with 501: that would need the plugin runtime Wharf does not have.
/// Legacy volume plugins (sockets in /run/docker/plugins) are separate and listed by GET /info.</summary>
internal static class PluginEndpoints
{
    private const string NoPluginSupport = "Wharf does not support managed plugins";

    public static void MapPluginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/plugins", () => Results.Json(new List<string>(), ApiJsonContext.Default.ListString));
        app.MapGet("/plugins/privileges", NotSupported);
        app.MapPost("/plugins/pull", NotSupported);
        app.MapPost("/plugins/create", NotSupported);
        // Plugin names hold '/' and ':' unescaped ("vieux/sshfs:latest/enable"): split the action off the end.
        app.MapMethods("/plugins/{**rest}", ["GET", "POST", "DELETE"], Named);
    }

    private static IResult Named(string rest, HttpContext context)
    {
        var method = context.Request.Method;
        var name = rest;
        if (!HttpMethods.IsDelete(method))
        {
            var slash = rest.LastIndexOf('/');
            var action = slash > 0 ? rest[(slash + 1)..] : "";
            var known = HttpMethods.IsGet(method) ? action == "json" : action is "enable" or "disable" or "upgrade" or "push" or "set";
            if (!known) return Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = "page not found" }, ApiJsonContext.Default.ErrorResponse, statusCode: 404);
            name = rest[..slash];
        }
        throw EngineException.NotFound($"plugin \"{name}\" not found");
    }

    private static IResult NotSupported() => throw new EngineException(ErrorKind.NotImplemented, NoPluginSupport);
}
