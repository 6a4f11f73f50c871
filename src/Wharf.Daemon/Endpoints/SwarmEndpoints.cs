using Wharf.Core.Errors;

namespace Wharf.Daemon.Endpoints;

/// <summary>The swarm-mode routes (/swarm, /nodes, /services, /tasks, /secrets, /configs). Wharf is never a swarm node,
/// so each answers as a Docker engine that is not part of a swarm does (moby daemon/cluster: 503 with its wording).
/// Clients depend on this: docker-py's leave_swarm(force=True) treats 503 as "already out", a 404 as a failure.</summary>
internal static class SwarmEndpoints
{
    public const string NotManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";
    public const string NotInSwarm = "This node is not part of a swarm";
    public const string NoSwarmSupport = "Wharf does not support swarm mode: this node cannot create or join a swarm";

    public static void MapSwarmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/swarm", NoManager);
        app.MapPost("/swarm/init", NoSwarm);
        app.MapPost("/swarm/join", NoSwarm);
        app.MapPost("/swarm/leave", () => Unavailable(NotInSwarm));
        app.MapPost("/swarm/update", NoManager);
        app.MapGet("/swarm/unlockkey", NoManager);
        app.MapPost("/swarm/unlock", NoManager);
        foreach (var family in new[] { "nodes", "services", "tasks", "secrets", "configs" })
        {
            app.MapGet($"/{family}", NoManager);
            app.MapGet($"/{family}/{{id}}", NoManager);
        }
        app.MapDelete("/nodes/{id}", NoManager);
        app.MapPost("/nodes/{id}/update", NoManager);
        app.MapPost("/services/create", NoManager);
        app.MapDelete("/services/{id}", NoManager);
        app.MapPost("/services/{id}/update", NoManager);
        app.MapGet("/services/{id}/logs", NoManager);
        app.MapGet("/tasks/{id}/logs", NoManager);
        foreach (var family in new[] { "secrets", "configs" })
        {
            app.MapPost($"/{family}/create", NoManager);
            app.MapDelete($"/{family}/{{id}}", NoManager);
            app.MapPost($"/{family}/{{id}}/update", NoManager);
        }
        // Updating a volume is only defined for cluster volumes (moby: "swarm is unavailable" without a swarm).
        app.MapPut("/volumes/{name}", () => Unavailable("volume update only valid for cluster volumes, but swarm is unavailable"));
    }

    private static IResult NoManager() => Unavailable(NotManager);

    private static IResult NoSwarm() => Unavailable(NoSwarmSupport);

    private static IResult Unavailable(string message) => throw new EngineException(ErrorKind.Unavailable, message);
}
