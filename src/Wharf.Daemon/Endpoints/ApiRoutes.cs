using Microsoft.AspNetCore.Routing.Patterns;

namespace Wharf.Daemon.Endpoints;

/// <summary>One registered endpoint: an HTTP method and its route pattern as mapped ("/containers/{id}/json").</summary>
public sealed record ApiRoute(string Method, string Pattern);

/// <summary>Every route of the daemon's API, mapped in one place, and the list of them as registered: the request
/// fuzzer walks that list, so a route added to any endpoint group is fuzzed without anyone remembering to.</summary>
public static class ApiRoutes
{
    internal static void MapApi(this IEndpointRouteBuilder app)
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
        app.MapFallback((HttpContext c) => Results.Json(new Wharf.Api.Errors.ErrorResponse { Message = "page not found" }, Wharf.Api.ApiJsonContext.Default.ErrorResponse, statusCode: 404));
    }

    /// <summary>(method, pattern) of every endpoint <see cref="MapApi"/> registers, fallback excluded. Read from a route
    /// table built without the engine: handler parameters that would come from services are taken as services and
    /// never resolved, so nothing but the table is made.</summary>
    public static IReadOnlyList<ApiRoute> Registered()
    {
        using var services = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();
        var table = new RouteTable(new EveryTypeIsAService(services));
        table.MapApi();
        return table.DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(endpoint => !IsFallback(endpoint.RoutePattern))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => new ApiRoute(method, endpoint.RoutePattern.RawText ?? "")))
            .Distinct()
            .OrderBy(route => route.Pattern, StringComparer.Ordinal).ThenBy(route => route.Method, StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsFallback(RoutePattern pattern) =>
        pattern.PathSegments.Count == 1 && pattern.Parameters is [{ IsCatchAll: true }];

    private sealed class RouteTable(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [];
        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }

    /// <summary>Answers "yes" for every parameter type the request delegate factory asks about (it asks only for types it
    /// would otherwise bind from the body), and defers everything else to the real provider.</summary>
    private sealed class EveryTypeIsAService(IServiceProvider inner) : IServiceProvider, IServiceProviderIsService
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IServiceProviderIsService) ? this : inner.GetService(serviceType);
        public bool IsService(Type serviceType) => true;
    }
}
