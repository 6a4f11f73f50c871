using System.Text.Json;
using Wharf.Api.Networks;
using Wharf.Core.Errors;
using Wharf.Daemon.Http;
using Wharf.Daemon.Mapping;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Filters;
using Wharf.Engine.Networks;

namespace Wharf.Daemon.Endpoints;

/// <summary>/networks/*: thin — bind, call the NetworkService (or the ContainerService for connect/disconnect), map.</summary>
internal static class NetworkEndpoints
{
    public static void MapNetworkEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/networks", List);
        app.MapGet("/networks/{id}", Inspect);
        app.MapPost("/networks/create", CreateAsync);
        app.MapDelete("/networks/{id}", Remove);
        app.MapPost("/networks/{id}/connect", ConnectAsync);
        app.MapPost("/networks/{id}/disconnect", DisconnectAsync);
        app.MapPost("/networks/prune", Prune);
    }

    private static IResult List(HttpRequest request, NetworkService networks)
    {
        var matches = NetworkFilters.ForList(FilterSet.Parse(request.String("filters")), networks.ScopeOf);
        var result = networks.All()
            .Where(matches)
            .Select(n => NetworkMapper.ToResource(n, withContainers: false, networks.ScopeOf(n)))
            .ToList();
        return Results.Json(result, NetworkApiJsonContext.Default.ListNetworkResource);
    }

    /// <summary>?scope=local|swarm|global finds only a network of that scope (Docker's 404 otherwise).</summary>
    private static IResult Inspect(string id, HttpRequest request, NetworkService networks)
    {
        var network = networks.Get(id);
        if (request.String("scope") is { Length: > 0 } scope && scope != networks.ScopeOf(network))
            throw EngineException.NotFound($"network {id} not found");
        return InspectResult(network, networks);
    }

    private static IResult InspectResult(NetworkRecord network, NetworkService networks) =>
        Results.Json(NetworkMapper.ToResource(network, withContainers: true, networks.ScopeOf(network)), NetworkApiJsonContext.Default.NetworkResource);

    private static async Task<IResult> CreateAsync(HttpRequest request, NetworkService networks)
    {
        var body = await RequestJson.ReadAsync(request.Body, NetworkApiJsonContext.Default.NetworkCreateRequest, request.HttpContext.RequestAborted)
            ?? throw EngineException.Invalid("network name cannot be empty");
        var pools = (body.IPAM?.Config ?? []).Select(c => new IpamPool
        {
            Subnet = c.Subnet ?? "",
            Gateway = c.Gateway ?? "",
            IPRange = c.IPRange ?? "",
            AuxiliaryAddresses = new Dictionary<string, string>(c.AuxiliaryAddresses ?? [], StringComparer.Ordinal),
        }).ToList();
        var network = networks.Create(new NetworkCreateParams(
            body.Name,
            body.Driver ?? "bridge",
            body.Internal,
            body.Attachable,
            body.EnableIPv6 ?? false,
            pools,
            body.Options ?? [],
            body.Labels ?? [],
            body.IPAM?.Driver ?? "default",
            body.Ingress,
            body.Scope ?? ""));
        return Results.Json(new NetworkCreateResponse { Id = network.Id, Warning = "" }, NetworkApiJsonContext.Default.NetworkCreateResponse, statusCode: 201);
    }

    private static IResult Remove(string id, NetworkService networks)
    {
        networks.Remove(id);
        return Results.NoContent();
    }

    private static async Task<IResult> ConnectAsync(string id, HttpRequest request, ContainerService containers)
    {
        var body = await RequestJson.ReadAsync(request.Body, NetworkApiJsonContext.Default.NetworkConnectRequest, request.HttpContext.RequestAborted)
            ?? throw EngineException.Invalid("container is required");
        await containers.ConnectNetworkAsync(body.Container, id, NetworkMapper.ToEndpointRequest(body.EndpointConfig), request.HttpContext.RequestAborted);
        return Results.Ok();
    }

    private static async Task<IResult> DisconnectAsync(string id, HttpRequest request, ContainerService containers)
    {
        var body = await RequestJson.ReadAsync(request.Body, NetworkApiJsonContext.Default.NetworkDisconnectRequest, request.HttpContext.RequestAborted)
            ?? throw EngineException.Invalid("container is required");
        await containers.DisconnectNetworkAsync(body.Container, id, body.Force, request.HttpContext.RequestAborted);
        return Results.Ok();
    }

    private static IResult Prune(HttpRequest request, NetworkService networks, TimeProvider time)
    {
        var removed = networks.Prune(NetworkFilters.ForPrune(FilterSet.Parse(request.String("filters")), time));
        return Results.Json(new NetworkPruneResponse { NetworksDeleted = [.. removed] }, NetworkApiJsonContext.Default.NetworkPruneResponse);
    }
}
