using System.Globalization;
using Wharf.Api.Swarm;
using Wharf.Core.Errors;
using Wharf.Daemon.Configuration;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Daemon.Swarm;
using Wharf.Engine.Networks;
using Wharf.Engine.Swarm;

namespace Wharf.Daemon.Endpoints;

/// <summary>The swarm-mode routes (/swarm, /nodes, /services, /tasks, /secrets, /configs), over <see cref="SwarmService"/>:
/// a single-node swarm. Outside a swarm each answers as a Docker engine that is not part of one (503 in moby's
/// wording: docker-py's leave_swarm(force=True) treats 503 as "already out"). In a swarm, the node's own views are
/// real; services, tasks, secrets and configs list empty and are refused on create with a 501, since a swarm of one
/// without an orchestrator runs none.</summary>
internal static class SwarmEndpoints
{
    public static void MapSwarmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/swarm", (SwarmService swarm) => Results.Json(SwarmMapper.ToInspect(swarm.Current), SwarmApiJsonContext.Default.SwarmInspect));
        app.MapPost("/swarm/init", InitAsync);
        app.MapPost("/swarm/join", Join);
        app.MapPost("/swarm/leave", LeaveAsync);
        app.MapPost("/swarm/update", UpdateAsync);
        app.MapGet("/swarm/unlockkey", UnlockKey);
        app.MapPost("/swarm/unlock", Unlock);
        MapNodes(app);
        foreach (var (family, noun) in new[] { ("services", "service"), ("tasks", "task"), ("secrets", "secret"), ("configs", "config") })
        {
            app.MapGet($"/{family}", (SwarmService swarm) => EmptyList(swarm));
            app.MapGet($"/{family}/{{id}}", (string id, SwarmService swarm) => NotFound(swarm, noun, id));
        }
        app.MapPost("/services/create", (SwarmService swarm) => NotSupported(swarm, "creating a service"));
        app.MapDelete("/services/{id}", (string id, SwarmService swarm) => NotFound(swarm, "service", id));
        app.MapPost("/services/{id}/update", (string id, SwarmService swarm) => NotFound(swarm, "service", id));
        app.MapGet("/services/{id}/logs", (string id, SwarmService swarm) => NotFound(swarm, "service", id));
        app.MapGet("/tasks/{id}/logs", (string id, SwarmService swarm) => NotFound(swarm, "task", id));
        foreach (var (family, noun) in new[] { ("secrets", "secret"), ("configs", "config") })
        {
            app.MapPost($"/{family}/create", (SwarmService swarm) => NotSupported(swarm, $"creating a {noun}"));
            app.MapDelete($"/{family}/{{id}}", (string id, SwarmService swarm) => NotFound(swarm, noun, id));
            app.MapPost($"/{family}/{{id}}/update", (string id, SwarmService swarm) => NotFound(swarm, noun, id));
        }
        // Updating a volume is only defined for cluster volumes (moby: "swarm is unavailable" without a swarm).
        app.MapPut("/volumes/{name}", () => Unavailable("volume update only valid for cluster volumes, but swarm is unavailable"));
    }

    private static void MapNodes(IEndpointRouteBuilder app)
    {
        app.MapGet("/nodes", (SwarmService swarm, HostInventory inventory) =>
            Results.Json(new List<NodeResource> { SwarmMapper.ToNode(swarm.Current, inventory.Host) }, SwarmApiJsonContext.Default.ListNodeResource));
        app.MapGet("/nodes/{id}", (string id, SwarmService swarm, HostInventory inventory) =>
            Results.Json(SwarmMapper.ToNode(ThisNode(swarm, id, inventory), inventory.Host), SwarmApiJsonContext.Default.NodeResource));
        app.MapDelete("/nodes/{id}", (string id, SwarmService swarm, HostInventory inventory) =>
        {
            var node = ThisNode(swarm, id, inventory);
            throw EngineException.Invalid($"rpc error: code = FailedPrecondition desc = node {node.NodeId} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal");
        });
        app.MapPost("/nodes/{id}/update", UpdateNodeAsync);
    }

    private static async Task<IResult> InitAsync(HttpRequest request, SwarmService swarm, NetworkService networks)
    {
        var body = await RequestJson.ReadAsync(request.Body, SwarmApiJsonContext.Default.SwarmInitRequest, request.HttpContext.RequestAborted) ?? new SwarmInitRequest();
        if (swarm.IsActive) throw new EngineException(ErrorKind.Unavailable, SwarmService.AlreadyInSwarm);
        RefuseAutolock(body.Spec);
        var (listen, advertise) = SwarmAddresses.Resolve(body.ListenAddr, body.AdvertiseAddr, OwnInterfaces(networks));
        var subnetSize = body.SubnetSize is > 0 and var size ? size : 24;
        if (subnetSize > 29) throw EngineException.Invalid($"invalid subnet size {subnetSize}: must be at most 29");
        var state = swarm.Init(new SwarmInitParams(listen, advertise, body.DataPathAddr ?? "", body.DataPathPort is > 0 and var port ? port : 4789,
            body.DefaultAddrPool is { Count: > 0 } pools ? pools : ["10.0.0.0/8"], subnetSize, SwarmMapper.SpecJson(body.Spec), SwarmMapper.NodeSpecJson(null)));
        return Results.Json(state.NodeId, SwarmApiJsonContext.Default.String);
    }

    private static IResult Join(SwarmService swarm) =>
        swarm.IsActive
            ? throw new EngineException(ErrorKind.Unavailable, SwarmService.AlreadyInSwarm)
            : throw SwarmService.NotSupported("joining another swarm");

    private static async Task<IResult> LeaveAsync(HttpRequest request, SwarmService swarm)
    {
        await swarm.LeaveAsync(request.Bool("force"), request.HttpContext.RequestAborted);
        return Results.Ok();
    }

    private static async Task<IResult> UpdateAsync(HttpRequest request, SwarmService swarm)
    {
        var version = RequiredVersion(request);
        var spec = await RequestJson.ReadAsync(request.Body, SwarmApiJsonContext.Default.SwarmSpec, request.HttpContext.RequestAborted);
        swarm.RequireManager();
        RefuseAutolock(spec);
        swarm.Update(version, SwarmMapper.SpecJson(spec), request.Bool("rotateWorkerToken"), request.Bool("rotateManagerToken"));
        return Results.Ok();
    }

    private static async Task<IResult> UpdateNodeAsync(string id, HttpRequest request, SwarmService swarm, HostInventory inventory)
    {
        var node = ThisNode(swarm, id, inventory);
        var version = RequiredVersion(request);
        var spec = await RequestJson.ReadAsync(request.Body, SwarmApiJsonContext.Default.NodeSpec, request.HttpContext.RequestAborted);
        if (spec?.Availability is { Length: > 0 } availability && availability is not ("active" or "pause" or "drain"))
            throw EngineException.Invalid($"invalid availability: {availability}");
        if (spec?.Role is { Length: > 0 } role && role is not ("worker" or "manager"))
            throw EngineException.Invalid($"invalid role: {role}");
        swarm.UpdateNode(node.NodeId, version, SwarmMapper.NodeSpecJson(spec), spec?.Role ?? "manager");
        return Results.Ok();
    }

    /// <summary>Without autolock there is no key (moby's NotFound "no unlock key is set").</summary>
    private static IResult UnlockKey(SwarmService swarm)
    {
        swarm.RequireManager();
        throw EngineException.NotFound("no unlock key is set");
    }

    private static IResult Unlock(SwarmService swarm) => swarm.IsActive
        ? throw EngineException.Conflict("swarm is not locked")
        : throw new EngineException(ErrorKind.Unavailable, SwarmService.NotInSwarm);

    /// <summary>The one node, by id, unique id prefix or host name.</summary>
    private static SwarmState ThisNode(SwarmService swarm, string id, HostInventory inventory)
    {
        var state = swarm.Current;
        var spec = SwarmMapper.NodeSpecOf(state);
        if (id.Length > 0 && (state.NodeId.StartsWith(id, StringComparison.Ordinal) || id == inventory.Host.Hostname || id == spec.Name)) return state;
        throw EngineException.NotFound($"node {id} not found");
    }

    /// <summary>Autolock encrypts the raft log and keys at rest; a swarm of one keeps neither, so it is refused rather
    /// than accepted and not done.</summary>
    private static void RefuseAutolock(SwarmSpec? spec)
    {
        if (spec?.EncryptionConfig?.AutoLockManagers == true) throw SwarmService.NotSupported("autolock");
    }

    private static long RequiredVersion(HttpRequest request) =>
        long.TryParse(request.String("version"), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw EngineException.Invalid("invalid version: a version index is required (the Version.Index of the object to update)");

    private static IReadOnlySet<string> OwnInterfaces(NetworkService networks) =>
        networks.All().SelectMany(n => n.Endpoints.Values.Select(e => e.HostInterface).Append(n.Interface)).Where(i => i.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static IResult EmptyList(SwarmService swarm)
    {
        swarm.RequireManager();
        return Results.Text("[]", "application/json");
    }

    private static IResult NotFound(SwarmService swarm, string noun, string id)
    {
        swarm.RequireManager();
        throw EngineException.NotFound($"{noun} {id} not found");
    }

    private static IResult NotSupported(SwarmService swarm, string what)
    {
        swarm.RequireManager();
        throw SwarmService.NotSupported(what);
    }

    private static IResult Unavailable(string message) => throw new EngineException(ErrorKind.Unavailable, message);
}
